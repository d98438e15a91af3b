// Builds the front-end bundles into one folder of fingerprinted files the Flask app serves
// as static files (long-lived caching: a changed file gets a new name).
//
//   node build.mjs                 -> build into OUTDIR (default:
//                                     ../server/midwest_lod/web/static/dist, committed)
//   node build.mjs --check         -> build into a temporary folder and fail (exit 1) when it
//                                     differs from OUTDIR: the committed bundle must be what the
//                                     lockfile and src/ produce.
//   node build.mjs --outdir DIR    -> another output folder
//
// Output: <name>-<HASH>.js / .css, manifest.json (logical name -> file name, read by the app),
// THIRD-PARTY-NOTICES.txt (every bundled npm package: name, version, licence, licence text).
// Deterministic: same lockfile + same src/ -> byte-identical output (esbuild is deterministic;
// the manifest and notices are sorted; no time stamps).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const outIndex = args.indexOf('--outdir');
const target = path.resolve(here, outIndex >= 0 ? args[outIndex + 1] : '../server/midwest_lod/web/static/dist');

// logical name (what templates ask for) -> source entry point
const ENTRIES = {
  'editor.js': 'src/editor.js',
  'editor.css': 'src/editor.css',
  'api-explorer.js': 'src/api-explorer.js',
  'api-explorer.css': 'src/api-explorer.css',
  'suggest.js': 'src/suggest.js',
};

async function build(outdir) {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: Object.entries(ENTRIES).map(([name, src]) => ({ in: src, out: name.replace(/\.(js|css)$/, '') })),
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    entryNames: '[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file' },
    legalComments: 'none', // collected once into THIRD-PARTY-NOTICES.txt below
    charset: 'utf8',
    sourcemap: false,
    metafile: true,
    outdir,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const manifest = {};
  const packages = new Map();
  const bundledNotices = new Set();
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const base = path.basename(file);
    if (output.entryPoint) {
      const logical = Object.keys(ENTRIES).find((k) => path.resolve(here, ENTRIES[k])
        === path.resolve(here, output.entryPoint));
      if (logical) manifest[logical] = base;
    }
    for (const input of Object.keys(output.inputs)) {
      const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
      if (m) packages.set(m[1], path.join(here, input.slice(0, m.index + m[0].length)));
      // a prebuilt file with its own notices (<file>.LICENSE.txt beside it)
      if (fs.existsSync(path.join(here, `${input}.LICENSE.txt`))) bundledNotices.add(input);
    }
  }
  fs.writeFileSync(path.join(outdir, 'manifest.json'),
    JSON.stringify(Object.fromEntries(Object.entries(manifest).sort()), null, 1) + '\n');
  fs.writeFileSync(path.join(outdir, 'THIRD-PARTY-NOTICES.txt'), notices(packages, bundledNotices));
  return outdir;
}

function notices(packages, bundledNotices) {
  const parts = ['Third-party software bundled in these files (from the npm registry, pinned '
    + 'by frontend/package-lock.json).\n'];
  for (const name of [...packages.keys()].sort()) {
    const dir = packages.get(name);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const licenceFile = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    parts.push(`\n==== ${meta.name}@${meta.version} — ${meta.license ?? 'see below'}\n`);
    if (licenceFile) parts.push(fs.readFileSync(path.join(dir, licenceFile), 'utf8').trim() + '\n');
    else parts.push('(no licence file in the package)\n');
    if (fs.existsSync(path.join(dir, 'NOTICE'))) { // Apache-2.0: the NOTICE goes along
      parts.push(`\n---- NOTICE of ${meta.name}\n${fs.readFileSync(path.join(dir, 'NOTICE'), 'utf8').trim()}\n`);
    }
  }
  for (const input of [...bundledNotices].sort()) {
    parts.push(`\n==== Notices of the software bundled in ${input.replace(/^.*node_modules\//, '')}\n`);
    parts.push(fs.readFileSync(path.join(here, `${input}.LICENSE.txt`), 'utf8').trim() + '\n');
  }
  return parts.join('');
}

function listing(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

if (check) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontend-check-'));
  await build(tmp);
  const fresh = listing(tmp);
  const committed = listing(target);
  const problems = [];
  for (const [name, data] of fresh) {
    if (!committed.has(name)) problems.push(`missing: ${name}`);
    else if (!committed.get(name).equals(data)) problems.push(`differs: ${name}`);
  }
  for (const name of committed.keys()) if (!fresh.has(name)) problems.push(`stale: ${name}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (problems.length) {
    console.error(`${target} is not what the lockfile and src/ build:\n  ${problems.join('\n  ')}`
      + '\nRun: npm ci --prefix frontend --ignore-scripts && node frontend/build.mjs, then commit the files');
    process.exit(1);
  }
  console.log(`${target}: matches a fresh build (${fresh.size} files)`);
} else {
  await build(target);
  for (const [name, data] of listing(target)) console.log(`${name}\t${data.length} B`);
}
