import { afterAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { uniqueEmail } from "../../helpers/customers.js";
import { startMailbox } from "../../helpers/mailbox.js";
import { ok, product } from "../../helpers/storefront.js";

// Seed 004's mobile app, end to end through the public API: sign up, verify by the mailed link, sign in,
// refresh before expiry, favorite, buy, review after delivery, read similar products in German.
const mailbox = await startMailbox();
const t = useTestApp({ smtpUrl: mailbox.url, publicUrl: "http://shop.test" });
afterAll(() => mailbox.close());

const PASSWORD = "correct horse battery";

/** What the app sends: seed 004's "token only", the access JWT without the Bearer prefix. */
const asApp = (accessToken: string) => ({ key: null, headers: { authorization: accessToken } });

function claims(jwt: string) {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as { exp: number; iat: number };
}

describe("seed 004 app journey", () => {
  it("signs up, verifies by the mailed link, refreshes, favorites, buys, reviews after delivery and reads similar products in German", async () => {
    // 1. The merchant lists products in English and German, sharing a category.
    const bags = await ok(t, "POST", "/api/catalog/categories", { body: { name: "Bags", slug: "journey-bags" } });
    const weekender = await product(t, {
      titles: { en: "Canvas Weekender", de: "Segeltuch Reisetasche" },
      price: 8900,
    });
    const duffel = await product(t, { titles: { en: "Leather Duffel", de: "Leder Sporttasche" }, price: 12900 });
    const hose = await product(t, { titles: { en: "Garden Hose", de: "Gartenschlauch" } });
    for (const { id } of [weekender, duffel])
      await ok(t, "POST", `/api/catalog/entities/${id}/categories/${bags.id}`, { body: {} });

    // 2. The shopper signs up; the verification mail is queued with the sign-up, not sent inside it.
    const email = uniqueEmail("journey");
    const up = await t.request("POST", "/api/auth/sign-up/email", {
      key: null,
      body: { email, password: PASSWORD, name: "Greta M." },
    });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.user).toMatchObject({ email, name: "Greta M.", emailVerified: false });
    const customerId = up.body.user.id as string;
    expect(mailbox.linksTo(email)).toHaveLength(0);

    // 3. The mail job sends it over SMTP; the shopper follows the mailed link.
    const run = await t.request("GET", "/api/jobs/run?queue=mail");
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.data.completed).toBeGreaterThanOrEqual(1);
    const [link] = mailbox.linksTo(email);
    expect(link).toMatch(/^http:\/\/shop\.test\/api\/auth\/verify-email\?token=/);
    const linkPath = new URL(link!).pathname + new URL(link!).search;
    const verified = await t.request("GET", linkPath, { key: null });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toEqual({ status: true, user: null });
    // Single use.
    const reused = await t.request("GET", linkPath, { key: null });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ code: "INVALID_TOKEN" });

    // 4. The app signs in: a short-lived access JWT plus a refresh token.
    const signIn = await t.request("POST", "/api/auth/sign-in/email", {
      key: null,
      body: { email, password: PASSWORD },
    });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    expect(signIn.body.user).toMatchObject({ id: customerId, emailVerified: true });
    expect(signIn.body.token).toMatch(/^eyJ/);
    expect(signIn.body.refreshToken).toEqual(expect.any(String));
    expect(Date.parse(signIn.body.tokenExpiresAt)).toBe(claims(signIn.body.token).exp * 1000);
    const profile = await t.request("GET", "/api/me/profile", asApp(signIn.body.token));
    expect(profile.status).toBe(200);
    expect(profile.body.data).toMatchObject({ id: customerId, email });

    // 5. Before the access token expires, the app refreshes: new tokens, the new access token works.
    const refreshed = await t.request("POST", "/api/auth/refresh", {
      key: null,
      body: { refreshToken: signIn.body.refreshToken },
    });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body.token).toMatch(/^eyJ/);
    expect(refreshed.body.refreshToken).not.toBe(signIn.body.refreshToken);
    expect(refreshed.body.user.id).toBe(customerId);
    let tokens = { access: refreshed.body.token as string, refresh: refreshed.body.refreshToken as string };
    expect((await t.request("GET", "/api/me/profile", asApp(tokens.access))).status).toBe(200);

    // 6. Favorites: add the weekender, list it with its product.
    const fav = await t.request("POST", "/api/me/favorites", {
      ...asApp(tokens.access),
      body: { entityId: weekender.id },
    });
    expect(fav.status, JSON.stringify(fav.body)).toBe(201);
    expect(fav.body.data).toMatchObject({ entityId: weekender.id, favorited: true });
    const favorites = await t.request("GET", "/api/me/favorites", asApp(tokens.access));
    expect(favorites.status).toBe(200);
    expect(favorites.body.data).toHaveLength(1);
    expect(favorites.body.data[0]).toMatchObject({
      id: weekender.id,
      slug: weekender.slug,
      localized: { title: "Canvas Weekender" },
      price: { amount: 8900, currency: "USD" },
    });

    // Not delivered yet: no review.
    const review = { rating: 5, title: "Perfekt", text: "Roomy and sturdy." };
    const early = await t.request("POST", `/api/catalog/entities/${weekender.id}/reviews`, {
      ...asApp(tokens.access),
      body: review,
    });
    expect(early.status).toBe(403);

    // 7. The shopper buys it; the merchant captures the payment and ships.
    const cart = await t.request("POST", "/api/carts", { ...asApp(tokens.access), body: { currency: "USD" } });
    expect(cart.status, JSON.stringify(cart.body)).toBe(201);
    const item = await t.request("POST", `/api/carts/${cart.body.data.id}/items`, {
      ...asApp(tokens.access),
      body: { entityId: weekender.id, quantity: 1 },
    });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const checkout = await t.request("POST", "/api/checkout", {
      ...asApp(tokens.access),
      body: {
        cartId: cart.body.data.id,
        shippingAddress: { line1: "Hauptstr. 1", city: "Berlin", country: "DE" },
      },
    });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    const order = checkout.body.data;
    expect(order).toMatchObject({ status: "pending", customerId, email });
    expect(order.lines).toEqual([expect.objectContaining({ entityId: weekender.id, quantity: 1, unitPrice: 8900 })]);
    const captured = await t.request("POST", `/api/orders/${order.id}/payment/capture`, { body: {} });
    expect(captured.status, JSON.stringify(captured.body)).toBeLessThan(300);
    const shipped = await t.request("POST", `/api/orders/${order.id}/fulfillments`, { body: {} });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
    const mine = await t.request("GET", `/api/me/orders/${order.id}`, asApp(tokens.access));
    expect(mine.status).toBe(200);
    expect(mine.body.data).toMatchObject({ id: order.id, status: "fulfilled" });
    expect(mine.body.data.lines[0].fulfilledQuantity).toBe(1);

    // The app refreshes again before the next expiry; the previous refresh token is spent.
    const again = await t.request("POST", "/api/auth/refresh", { key: null, body: { refreshToken: tokens.refresh } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const spent = tokens.refresh;
    tokens = { access: again.body.token, refresh: again.body.refreshToken };

    // 8. After delivery the shopper reviews it once; it waits for moderation.
    const written = await t.request("POST", `/api/catalog/entities/${weekender.id}/reviews`, {
      ...asApp(tokens.access),
      body: review,
    });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect(written.body.data).toMatchObject({
      entityId: weekender.id,
      rating: 5,
      status: "pending",
      authorName: "Greta M.",
      verifiedPurchase: true,
      customerId,
    });
    const publicReviews = () => t.request("GET", `/api/catalog/entities/${weekender.id}/reviews`, { key: null });
    expect((await publicReviews()).body.data).toEqual([]);

    // 9. The merchant publishes it; the product's rating summary shows it.
    const moderator = await t.createKey(["reviews:moderate"]);
    const published = await t.request("PATCH", `/api/reviews/${written.body.data.id}`, {
      key: moderator,
      body: { status: "published" },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.data.status).toBe("published");
    const listed = await publicReviews();
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((r: any) => r.id)).toEqual([written.body.data.id]);
    expect(listed.body.meta.ratingSummary).toEqual({
      average: 5,
      count: 1,
      counts: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: rating === 5 ? 1 : 0 })),
    });
    const summary = await t.request("POST", "/graphql", {
      ...asApp(tokens.access),
      body: {
        query: `query ($id: ID!) { catalogEntity(id: $id) { ratingSummary { average count } } }`,
        variables: { id: weekender.id },
      },
    });
    expect(summary.body.errors).toBeUndefined();
    expect(summary.body.data.catalogEntity.ratingSummary).toEqual({ average: 5, count: 1 });

    // 10. Similar products, in German: the product of the shared category, with its German title.
    const similar = await t.request("GET", `/api/catalog/entities/${weekender.id}/similar`, {
      ...asApp(tokens.access),
      headers: { ...asApp(tokens.access).headers, "accept-language": "de-DE,de;q=0.9,en;q=0.5" },
    });
    expect(similar.status, JSON.stringify(similar.body)).toBe(200);
    const ids = similar.body.data.map((e: any) => e.id);
    expect(ids[0]).toBe(duffel.id);
    expect(ids).not.toContain(hose.id);
    expect(ids).not.toContain(weekender.id);
    expect(similar.body.data[0]).toMatchObject({
      localized: { locale: "de", title: "Leder Sporttasche" },
      price: { amount: 12900, currency: "USD" },
    });

    // 11. A stolen, already used refresh token is refused and takes the whole session with it.
    const stolen = await t.request("POST", "/api/auth/refresh", { key: null, body: { refreshToken: spent } });
    expect(stolen.status).toBe(401);
    expect(stolen.body).toMatchObject({ errorCode: "REFRESH_TOKEN_REUSED" });
    const afterTheft = await t.request("GET", "/api/me/favorites", asApp(tokens.access));
    expect(afterTheft.status).toBe(401);
    expect(
      (await t.request("POST", "/api/auth/refresh", { key: null, body: { refreshToken: tokens.refresh } })).body
        .errorCode,
    ).toBe("INVALID_REFRESH_TOKEN");
    // The account itself is fine: the app signs in again and finds its favorite.
    const back = await t.request("POST", "/api/auth/sign-in/email", { key: null, body: { email, password: PASSWORD } });
    expect(back.status).toBe(200);
    const kept = await t.request("GET", "/api/me/favorites", asApp(back.body.token));
    expect(kept.body.data.map((e: any) => e.id)).toEqual([weekender.id]);
  });
});
