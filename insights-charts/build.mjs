// Bundles the insights page's charts (Chart.js) into one script for the guidance service:
//   node build.mjs   ->  ../assistant/service/static/dist/insights.js (+ .gz)
import { readFile, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";

import * as esbuild from "esbuild";

const OUT = "../assistant/service/static/dist/insights.js";

await esbuild.build({
  entryPoints: ["src/insights.js"],
  outfile: OUT,
  bundle: true,
  format: "iife",
  target: ["es2020", "chrome90", "firefox90", "safari15"],
  minify: true,
  legalComments: "linked",
  logLevel: "warning",
});
const code = await readFile(OUT, "utf8");
const found = code.match(/\beval\s*\(|new Function\b/);
if (found) throw new Error(`insights.js contains ${found[0]}: not allowed under a strict CSP`);
await writeFile(`${OUT}.gz`, gzipSync(code, { level: 9 }));
console.log(`dist/insights.js  ${(code.length / 1024).toFixed(1)} kB`);
