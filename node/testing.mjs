// ESM entry of scaleway_partner/testing.
import cjs from './testing.js'

export const { MockServer } = cjs
