// Bundles the widget for the guidance service: one script (IIFE, no eval, no runtime
// downloads) and its stylesheet, with gzip copies the service sends to browsers that accept them.
//   node build.mjs            production build into ../assistant/service/static/dist/
//   node build.mjs --watch    rebuild on change
//   node build.mjs --tests    bundle test/*.test.ts for `node --test` into build/test/
import { readdir, readFile, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";

import * as esbuild from "esbuild";

const OUT_DIR = "../assistant/service/static/dist";
const TARGET = ["es2020", "chrome90", "firefox90", "safari15"];
const args = new Set(process.argv.slice(2));

// engine.io-client falls back to `Function("return this")()` when neither `self` nor `window`
// exists (never in a browser); `globalThis` keeps the bundle free of eval-like code, so a
// Content-Security-Policy without 'unsafe-eval' has nothing to object to.
const noEval = {
  name: "no-eval",
  setup(build) {
    build.onLoad({ filter: /engine\.io-client[\\/].*globals\.js$/ }, async ({ path }) => ({
      contents: (await readFile(path, "utf8")).replace('Function("return this")()', "globalThis"),
      loader: "js",
    }));
  },
};

/** Fails the build when the bundle contains eval or the Function constructor. */
async function checkNoEval() {
  const code = await readFile(`${OUT_DIR}/widget.js`, "utf8");
  const found = code.match(/\beval\s*\(|\bFunction\s*\(|new Function\b/);
  if (found) throw new Error(`widget.js contains ${found[0]}: not allowed under a strict CSP`);
}

async function buildTests() {
  const tests = (await readdir("test")).filter((name) => name.endsWith(".test.ts"));
  await esbuild.build({
    entryPoints: tests.map((name) => `test/${name}`),
    outdir: "build/test",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

const options = {
  entryPoints: [
    { in: "src/main.ts", out: "widget" },
    { in: "src/widget.css", out: "widget" },
  ],
  outdir: OUT_DIR,
  bundle: true,
  format: "iife",
  target: TARGET,
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  charset: "utf8",
  logLevel: "warning",
  metafile: true,
  plugins: [noEval],
};

async function compress() {
  for (const name of ["widget.js", "widget.css"]) {
    const path = `${OUT_DIR}/${name}`;
    await writeFile(`${path}.gz`, gzipSync(await readFile(path), { level: 9 }));
  }
}

if (args.has("--tests")) {
  await buildTests();
} else if (args.has("--watch")) {
  const context = await esbuild.context({
    ...options,
    plugins: [noEval, { name: "gzip", setup: (build) => build.onEnd((result) => result.errors.length || compress()) }],
  });
  await context.watch();
  console.log(`watching src/ -> ${OUT_DIR}`);
} else {
  const result = await esbuild.build(options);
  await checkNoEval();
  await compress();
  for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
    if (/\.(js|css)$/.test(file))
      console.log(`${file.replace(/^.*\/dist\//, "dist/")}  ${(bytes / 1024).toFixed(1)} kB`);
  }
}
