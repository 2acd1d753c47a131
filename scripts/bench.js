// `npm run bench`: every fixture's loop and its rewrite, timed at two sizes on each backend, through
// the runtime (dist/runtime). Prints one table per size and writes bench/results/<date>-<backend>.json
// ({ tool, date, machine, sizes: { <size>: { geomean, cases, adapter?, tfjsVersion? } } }).
//
//   node scripts/bench.js [--backend cpu,wasm,webgpu] [--sizes 256,1024] [folder]
//
// Default backends: cpu and wasm, plus webgpu when a Vulkan driver or SwiftShader is there (SwiftShader
// is a CPU emulation: its figures say nothing about a GPU; the table header says which adapter ran).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchJson, benchTable, expandFiles, runAll } from '../dist/runtime/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { backend: { type: 'string' }, sizes: { type: 'string' } },
});
const haveVulkan =
  !!process.env.VK_ICD_FILENAMES ||
  fs.existsSync('/usr/lib/chromium/vk_swiftshader_icd.json') ||
  fs.existsSync('/usr/share/vulkan/icd.d');
const backends = (values.backend ?? (haveVulkan ? 'cpu,wasm,webgpu' : 'cpu,wasm')).split(',');
const sizes = (values.sizes ?? '256,1024').split(',').map(Number);
const folder = path.resolve(root, positionals[0] ?? 'fixtures');

const { files } = await expandFiles([folder], root);
const date = new Date();
const stamp = date.toISOString().slice(0, 10);
const perBackend = new Map();
let total = 0;
let done = 0;
for (const size of sizes) {
  process.stderr.write(`bench: ${files.length} files at size ${size} on ${backends.join(', ')}…\n`);
  const outcome = await runAll({
    files,
    backends,
    mode: 'bench',
    size,
    timeoutMs: 300_000,
    onProgress: (e) => {
      if (e.type === 'discovered') total = e.cases;
      if (e.type === 'backend') {
        done = 0;
        if (e.unavailable) process.stderr.write(`  ${e.unavailable}\n`);
      }
      if (e.type === 'case') {
        // One line per case: a long pass (1024² on cpu takes tens of minutes) shows where it is.
        const r = e.result;
        const what =
          r.status === 'equal'
            ? r.speedup !== undefined
              ? `${r.speedup.toFixed(2)}×`
              : 'equal'
            : `${r.status}${r.error ? `: ${r.error}` : ''}`;
        process.stderr.write(`  [${e.backend} ${++done}/${total}] ${path.relative(root, r.id)}: ${what}\n`);
      }
    },
  });
  console.log(`\n## size ${size} (largest input ≈ ${size}² elements)\n`);
  console.log(benchTable(outcome.runs, root));
  const doc = benchJson(outcome.runs, { size, date, tool: 'eslint-plugin-vectorize npm run bench', cwd: root });
  for (const [name, entry] of Object.entries(doc.backends)) {
    const file = perBackend.get(name) ?? { tool: doc.tool, date: doc.date, machine: doc.machine, sizes: {} };
    file.sizes[size] = entry;
    perBackend.set(name, file);
  }
  // Written after every size, so a long run interrupted at the second size keeps the first.
  writeResults();
}

function writeResults() {
  const outDir = path.join(root, 'bench/results');
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, doc] of perBackend) {
    const out = path.join(outDir, `${stamp}-${name}.json`);
    fs.writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
    console.log(`wrote ${path.relative(root, out)}`);
  }
}
