// ESM view of the same declarations (index.mjs re-exports the CommonJS entry).
export * from './index.js'
