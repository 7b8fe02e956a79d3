/**
 * Imported first by bench/run.ts, so it runs before any module of the app or its libraries loads.
 *
 * The app's config is production (loadConfig({ NODE_ENV: "production" })), but some code reads
 * process.env.NODE_ENV directly when its module loads: graphql-js enables its development-only
 * instanceOf checks, and src/graphql/builder.ts turns Pothos' onUnusedQuery warnings on, unless it
 * is "production". A benchmark of the production configuration must not pay for those.
 */
process.env.NODE_ENV = "production";
