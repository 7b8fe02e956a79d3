/**
 * compose.yaml and the Dockerfile cannot be built here (no registry for images), so their shape is
 * checked: a YAML parse, PostgreSQL + Redis + two gateways on the same database, Redis and secret, and
 * a Dockerfile that runs the bundle with the migrations beside it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);

describe("deployment files", () => {
  it("compose.yaml runs PostgreSQL, Redis and two gateways sharing them", () => {
    const compose = parse(readFileSync(new URL("compose.yaml", root), "utf8"));
    expect(Object.keys(compose.services).sort()).toEqual(["gateway-1", "gateway-2", "postgres", "redis"]);
    const [one, two] = [compose.services["gateway-1"], compose.services["gateway-2"]];
    for (const gateway of [one, two]) {
      expect(gateway.environment.DATABASE_URL).toMatch(/^postgresql:\/\/.*@postgres:5432\//);
      expect(gateway.environment.REDIS_URL).toBe("redis://redis:6379");
      expect(gateway.environment.APP_SECRET).toMatch(/^\$\{APP_SECRET:\?/);
    }
    expect(one.environment).toEqual(two.environment);
    expect(one.build).toBe(".");
    expect(two.image).toBe(one.image);
    expect(one.depends_on.postgres.condition).toBe("service_healthy");
    expect(new Set([...one.ports, ...two.ports]).size).toBe(2);
  });

  it("the Dockerfile runs the bundle on all interfaces with the migrations beside it", () => {
    const dockerfile = readFileSync(new URL("Dockerfile", root), "utf8");
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/ENV .*HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/prisma\/migrations/);
    expect(dockerfile).toMatch(/CMD \["node", "dist\/main\.js"\]/);
  });
});
