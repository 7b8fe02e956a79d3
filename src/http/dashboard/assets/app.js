// The live orders dashboard: plain ES modules, no build step. Reads over POST /graphql, live rows over
// graphql-ws (the orderEvents subscription), the chart from analyticsQuery. The API key stays in this
// tab's sessionStorage and is sent as x-api-key (HTTP) and as connection params (WebSocket).
import { createClient } from "/dashboard/vendor/graphql-ws/client.js";

const KEY_STORAGE = "cartograph.dashboard.apiKey";
const STATUSES = ["pending", "confirmed", "processing", "partially_fulfilled", "fulfilled", "refunded", "cancelled"];
const PAGE_SIZE = 50;
const CHART_DAYS = 30;

const ORDER_FIELDS = `
  fragment DashboardOrder on Order {
    id number status email currency createdAt updatedAt shippingAddress
    totals { total }
  }`;
const ORDERS_QUERY = `
  query DashboardOrders($first: Int!, $filter: OrderFilter) {
    orders(first: $first, filter: $filter) { totalCount edges { node { ...DashboardOrder } } }
  }
  ${ORDER_FIELDS}`;
const ORDER_EVENTS = `
  subscription DashboardOrderEvents {
    orderEvents { type orderId toStatus at order { ...DashboardOrder } }
  }
  ${ORDER_FIELDS}`;
const CHART_QUERY = `
  query DashboardChart($input: AnalyticsQueryInput!) {
    analyticsQuery(input: $input) { rows }
  }`;

const $ = (id) => document.getElementById(id);
const state = {
  key: sessionStorage.getItem(KEY_STORAGE),
  /** Statuses shown; all of them when none is ticked. */
  statuses: new Set(),
  /** Orders on screen by id, newest first in `order`. */
  rows: new Map(),
  total: 0,
  client: null,
  unsubscribe: null,
  /** Whether the socket had been connected before (a later connection is a reconnect). */
  everConnected: false,
  chartTimer: null,
};

// ---- GraphQL over HTTP -------------------------------------------------------------------------

class AuthError extends Error {}

async function graphql(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "x-api-key": state.key },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status === 401) throw new AuthError("This API key is not valid.");
  const body = await response.json().catch(() => ({}));
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    if (code === "UNAUTHORIZED") throw new AuthError("This API key is not valid.");
    if (code === "FORBIDDEN") throw new AuthError(`This key may not do that: ${error.message}`);
    throw new Error(error.message);
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return body.data;
}

// ---- formatting --------------------------------------------------------------------------------

const moneyFormats = new Map();
function money(amount, currency) {
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    } catch {
      format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 });
    }
    moneyFormats.set(currency, format);
  }
  // Minor units: the currency's own number of decimals (JPY 0, USD 2, KWD 3).
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const label = (status) => status.replace(/_/g, " ");

function customerOf(order) {
  const name =
    order.shippingAddress && typeof order.shippingAddress.name === "string" ? order.shippingAddress.name : "";
  return [name, order.email].filter(Boolean).join(" · ") || "Guest";
}

function cell(text, className) {
  const td = document.createElement("td");
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function rowFor(order) {
  const tr = document.createElement("tr");
  tr.dataset.orderId = order.id;
  tr.dataset.status = order.status;
  const status = document.createElement("span");
  status.className = `status status-${order.status}`;
  status.textContent = label(order.status);
  const statusCell = document.createElement("td");
  statusCell.className = "status-cell";
  statusCell.append(status);
  tr.append(
    cell(order.number, "number"),
    statusCell,
    cell(customerOf(order), "customer"),
    cell(money(order.totals.total, order.currency), "num total"),
    cell(timeFormat.format(new Date(order.createdAt)), "time"),
  );
  return tr;
}

// ---- orders table ------------------------------------------------------------------------------

const shown = (order) => state.statuses.size === 0 || state.statuses.has(order.status);

function renderOrders() {
  const tbody = $("orders").tBodies[0];
  const sorted = [...state.rows.values()].sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0,
  );
  tbody.replaceChildren(...sorted.map(rowFor));
  $("orders-empty").hidden = sorted.length > 0;
  $("orders-count").textContent =
    `${state.total} order${state.total === 1 ? "" : "s"}${state.statuses.size ? " matching" : ""}`;
}

async function loadOrders() {
  const filter = state.statuses.size ? { statusIn: [...state.statuses] } : undefined;
  try {
    const data = await graphql(ORDERS_QUERY, { first: PAGE_SIZE, filter });
    // A live event may have landed while this read was under way: the newer version of a row wins.
    const fresher = (order) => {
      const live = state.rows.get(order.id);
      return live && live.updatedAt > order.updatedAt ? live : order;
    };
    state.rows = new Map(data.orders.edges.map(({ node }) => [node.id, fresher(node)]));
    state.total = data.orders.totalCount;
    $("orders-error").textContent = "";
    renderOrders();
  } catch (error) {
    if (error instanceof AuthError) return signOut(error.message);
    $("orders-error").textContent = `Could not load orders: ${error.message}`;
  }
}

/** A live event: the order's row changes in place, appears when it now matches, leaves when it no longer does. */
function applyEvent(event) {
  const order = event.order;
  if (!order) return;
  const had = state.rows.has(order.id);
  if (shown(order)) {
    if (!had) state.total += 1;
    state.rows.set(order.id, order);
    // Keep the newest PAGE_SIZE.
    if (state.rows.size > PAGE_SIZE) {
      const oldest = [...state.rows.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))[0];
      state.rows.delete(oldest.id);
    }
  } else if (had) {
    state.rows.delete(order.id);
    state.total = Math.max(0, state.total - 1);
  }
  renderOrders();
  const row = $("orders").querySelector(`tr[data-order-id="${CSS.escape(order.id)}"]`);
  if (row) row.classList.add("changed");
  if (event.type === "orders.create" || event.type === "orders.statusChange") scheduleChart();
}

function buildFilters() {
  const box = $("status-filter");
  for (const status of STATUSES) {
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = status;
    input.name = "status";
    input.addEventListener("change", () => {
      if (input.checked) state.statuses.add(status);
      else state.statuses.delete(status);
      void loadOrders();
    });
    const text = document.createElement("span");
    text.textContent = label(status);
    const wrapper = document.createElement("label");
    wrapper.append(input, text);
    box.append(wrapper);
  }
}

// ---- chart -------------------------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
function svg(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function dayKey(date) {
  return date.toISOString().slice(0, 10);
}

async function loadChart() {
  const from = new Date(Date.now() - (CHART_DAYS - 1) * 86_400_000);
  const input = {
    model: "orders",
    measures: ["count", "revenue"],
    timeDimension: { dimension: "createdAt", granularity: "day" },
    dateRange: { from: dayKey(from) },
    limit: 1000,
  };
  try {
    const data = await graphql(CHART_QUERY, { input });
    $("chart-error").textContent = "";
    drawChart(data.analyticsQuery.rows, from);
  } catch (error) {
    if (error instanceof AuthError && !error.message.includes("may not")) return signOut(error.message);
    $("chart-error").textContent = `Chart unavailable: ${error.message}`;
  }
}

function scheduleChart() {
  clearTimeout(state.chartTimer);
  state.chartTimer = setTimeout(() => void loadChart(), 1_000);
}

function drawChart(rows, from) {
  // Money comes per currency: chart the currency with the most revenue, count every order.
  const revenueByCurrency = new Map();
  for (const row of rows)
    revenueByCurrency.set(row.currency, (revenueByCurrency.get(row.currency) ?? 0) + Number(row.revenue));
  const currency = [...revenueByCurrency.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "USD";
  const days = [];
  for (let i = 0; i < CHART_DAYS; i++)
    days.push({ key: dayKey(new Date(from.getTime() + i * 86_400_000)), count: 0, revenue: 0 });
  const byKey = new Map(days.map((d) => [d.key, d]));
  for (const row of rows) {
    const day = byKey.get(String(row["createdAt.day"]).slice(0, 10));
    if (!day) continue;
    day.count += Number(row.count);
    if (row.currency === currency) day.revenue += Number(row.revenue);
  }
  const totalOrders = days.reduce((s, d) => s + d.count, 0);
  const totalRevenue = days.reduce((s, d) => s + d.revenue, 0);
  $("chart-summary").textContent = `${totalOrders} orders · ${money(totalRevenue, currency)} revenue`;

  const width = 1000,
    height = 220,
    left = 36,
    right = 64,
    top = 16,
    bottom = 28;
  const plotW = width - left - right,
    plotH = height - top - bottom;
  const maxCount = Math.max(1, ...days.map((d) => d.count));
  const maxRevenue = Math.max(1, ...days.map((d) => d.revenue));
  const step = plotW / days.length;
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": "Orders per day (bars) and revenue per day (line)",
  });
  root.append(svg("line", { class: "axis", x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH }));
  root.append(svg("text", { x: left - 6, y: top + 8, "text-anchor": "end" }, String(maxCount)));
  root.append(svg("text", { x: left + plotW + 6, y: top + 8 }, money(maxRevenue, currency)));
  const points = [];
  days.forEach((day, i) => {
    const x = left + i * step;
    const h = (day.count / maxCount) * plotH;
    const bar = svg("rect", {
      class: "bar-count",
      x: x + step * 0.15,
      y: top + plotH - h,
      width: step * 0.7,
      height: h,
    });
    bar.append(svg("title", {}, `${day.key}: ${day.count} orders, ${money(day.revenue, currency)}`));
    root.append(bar);
    points.push([x + step / 2, top + plotH - (day.revenue / maxRevenue) * plotH]);
    if (i % 5 === 0 || i === days.length - 1)
      root.append(svg("text", { x: x + step / 2, y: height - 8, "text-anchor": "middle" }, day.key.slice(5)));
  });
  root.append(svg("polyline", { class: "line-revenue", points: points.map((p) => p.join(",")).join(" ") }));
  for (const [x, y] of points) root.append(svg("circle", { class: "dot-revenue", cx: x, cy: y, r: 2.5 }));
  root.append(svg("rect", { class: "legend-count", x: left + 4, y: 2, width: 10, height: 8 }));
  root.append(svg("text", { x: left + 18, y: 10 }, "orders"));
  root.append(svg("rect", { class: "legend-revenue", x: left + 70, y: 2, width: 10, height: 8 }));
  root.append(svg("text", { x: left + 84, y: 10 }, `revenue (${currency})`));
  $("chart").replaceChildren(root);
}

// ---- live connection ---------------------------------------------------------------------------

function setConnection(stateName, text) {
  const el = $("connection");
  el.dataset.state = stateName;
  el.textContent = text;
}

function connect() {
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  const client = createClient({
    url,
    connectionParams: () => ({ apiKey: state.key }),
    lazy: false,
    keepAlive: 10_000,
    // Keep trying for as long as the page is open; a refused key (4403) is the one reason to stop.
    retryAttempts: Infinity,
    shouldRetry: (event) => !(event && typeof event === "object" && "code" in event && event.code === 4403),
    retryWait: async (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 300 * 2 ** retries) * (0.5 + Math.random() / 2))),
    onNonLazyError: () => {},
    on: {
      connecting: () => {
        if (state.everConnected) setConnection("lost", "Connection lost — reconnecting…");
        else setConnection("connecting", "Connecting…");
      },
      connected: () => {
        const reconnect = state.everConnected;
        state.everConnected = true;
        setConnection("live", reconnect ? "Reconnected — live" : "Live");
        // Events sent while the socket was down are gone: read the list again.
        if (reconnect) {
          void loadOrders();
          void loadChart();
        }
      },
      closed: (event) => {
        if (event && event.code === 4403) return signOut("This API key was refused.");
        if (state.everConnected) setConnection("lost", "Connection lost — reconnecting…");
      },
    },
  });
  state.client = client;
  state.unsubscribe = client.subscribe(
    { query: ORDER_EVENTS },
    {
      next: (result) => {
        if (result.data?.orderEvents) applyEvent(result.data.orderEvents);
        if (result.errors?.length) $("orders-error").textContent = `Live updates: ${result.errors[0].message}`;
      },
      error: (error) => {
        const message = Array.isArray(error) ? error[0]?.message : error?.reason || error?.message;
        if (message) $("orders-error").textContent = `Live updates stopped: ${message}`;
      },
      complete: () => {},
    },
  );
}

function disconnect() {
  state.unsubscribe?.();
  state.client?.dispose();
  state.client = state.unsubscribe = null;
  state.everConnected = false;
  setConnection("offline", "Not connected");
}

// ---- sign in / out -----------------------------------------------------------------------------

function showSignIn(message = "") {
  $("board").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message;
  $("api-key").focus();
}

async function start() {
  $("sign-in").hidden = true;
  $("board").hidden = false;
  $("sign-out").hidden = false;
  connect();
  await Promise.all([loadOrders(), loadChart()]);
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  state.key = null;
  disconnect();
  showSignIn(message);
}

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const key = $("api-key").value.trim();
  if (!key) return;
  state.key = key;
  try {
    // One cheap read proves the key and its orders:read permission before anything else opens.
    await graphql(`query DashboardSignIn { orders(first: 1) { totalCount } }`);
  } catch (error) {
    state.key = null;
    $("sign-in-error").textContent = error.message;
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  $("api-key").value = "";
  await start();
});
$("sign-out").addEventListener("click", () => signOut());

buildFilters();
if (state.key) void start();
else showSignIn();
