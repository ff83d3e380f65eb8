// Every class, constructor, method and function of the Node API reference has an `@example`
// (TypeDoc's own validation only requires a comment). Reads the JSON model that
// `typedoc --json` wrote; run by scripts/lang/packaging.sh lint after TypeDoc.
import { readFileSync } from 'node:fs'

const KIND = { Function: 64, Class: 128, Constructor: 512, Method: 2048 }
const WANTED = new Set(Object.values(KIND))
const hasExample = (comment) => (comment?.blockTags ?? []).some((tag) => tag.tag === '@example')

const project = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const missing = []
let checked = 0
const walk = (node, path) => {
  for (const child of node.children ?? []) {
    const name = path ? `${path}.${child.name}` : child.name
    if (WANTED.has(child.kind) && !child.inheritedFrom && !child.flags?.isPrivate) {
      checked += 1
      // A class carries its comment; a function, method or constructor, each signature does.
      const ok =
        child.kind === KIND.Class
          ? hasExample(child.comment)
          : hasExample(child.comment) || (child.signatures ?? []).every((s) => hasExample(s.comment))
      if (!ok) missing.push(name)
    }
    walk(child, name)
  }
}
walk(project, '')
if (checked < 50) {
  console.error(`check-examples: only ${checked} items found in ${process.argv[2]}; is it TypeDoc's JSON?`)
  process.exit(1)
}
if (missing.length) {
  console.error(`${missing.length} of ${checked} classes, constructors, methods and functions have no @example:`)
  for (const name of missing) console.error(`  ${name}`)
  process.exit(1)
}
console.log(`check-examples: all ${checked} classes, constructors, methods and functions have an @example`)
