'use strict'
// snake_case (the core's and the emulator's JSON) to and from camelCase (JavaScript's).

const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

module.exports = { camel, snake }
