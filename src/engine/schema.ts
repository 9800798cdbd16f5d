// The one zod every runtime schema uses: zod/mini (functional, tree-shakeable), with the English
// messages classic zod gives. zod/mini sets no locale of its own (its issues would read "Invalid
// input"); importing English alone keeps the other locales out of the browser bundle.
//
// Import it as a namespace, `import * as z from "../engine/schema.js"`: re-exported star by star,
// a bundler keeps only the functions the schemas call (a re-exported namespace object would keep all of zod/mini).
// Integers are `z.number().check(z.int(), …)`, not `z.int()`: the same def as classic zod's
// `z.number().int()`, whose integer check the playground's form reads from def.checks (web/src/schema.ts).

import { en } from "zod/locales";
import { config } from "zod/mini";

config(en());

export * from "zod/mini";
