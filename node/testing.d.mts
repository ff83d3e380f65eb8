// ESM view of the same declarations (testing.mjs re-exports the CommonJS entry).
export * from './testing.js'
