// The second entry of the bundle (scripts/bundle.mjs): what scripts/prepare-embedded.mjs runs at install.
export { prepareEmbeddedTemplate } from "./db.js";
