// `npm run demo`: lint every file under fixtures/ (or the folder given as the first argument) with
// the plugin's `all` config and show each finding, what kind of fix it carries, and the code that
// fix produces. Nothing is written to disk: the --fix output is read from ESLint's result in memory.
//
//   node scripts/demo.js [folder]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../dist/index.js';
import { diffHunks as unifiedDiff } from '../dist/runtime/diff.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = path.resolve(root, process.argv[2] ?? 'fixtures');

const TS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];
const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx'];

const config = [
  {
    files: ['**/*'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    // The demo shows the plugin's findings; stale disable comments in fixtures are not its business.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  { files: TS_EXTENSIONS.map((ext) => `**/*${ext}`), languageOptions: { parser: tsParser } },
  { files: [...TS_EXTENSIONS, ...JS_EXTENSIONS].map((ext) => `**/*${ext}`), ...plugin.configs.all },
];

function listSources(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...listSources(full));
    } else if (
      [...TS_EXTENSIONS, ...JS_EXTENSIONS].includes(path.extname(entry.name)) &&
      !entry.name.endsWith('.d.ts')
    ) {
      out.push(full);
    }
  }
  return out.sort();
}

// Apply one fix object ({ range, text }) to a text.
const applyFix = (text, fix) => text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);

const indent = (text, prefix) =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');

async function main() {
  const files = listSources(folder);
  const shown = path.relative(root, folder) || '.';
  if (files.length === 0) {
    console.log(`No .ts/.js files under ${shown}/.`);
    console.log('0 findings in 0 files: 0 autofixes, 0 suggestions, 0 reports without a fix');
    return;
  }

  const common = { cwd: root, overrideConfigFile: true, overrideConfig: config, ignore: false };
  const linter = new ESLint(common);
  const fixer = new ESLint({ ...common, fix: true });
  const [results, fixedResults] = await Promise.all([linter.lintFiles(files), fixer.lintFiles(files)]);
  const fixedByPath = new Map(fixedResults.map((r) => [r.filePath, r]));

  let findings = 0;
  let autofixes = 0;
  let suggestions = 0;
  let plainReports = 0;
  let parseErrors = 0;
  let filesWithFindings = 0;

  for (const result of results) {
    const rel = path.relative(root, result.filePath);
    const source = result.source ?? fs.readFileSync(result.filePath, 'utf8');
    if (result.messages.length === 0) continue;
    if (result.messages.some((m) => !m.fatal)) filesWithFindings++;
    console.log(`\n${rel}`);

    for (const msg of result.messages) {
      const where = `${rel}:${msg.line}:${msg.column}`;
      if (msg.fatal) {
        parseErrors++;
        console.log(`  ${where}  parse error  ${msg.message}`);
        continue;
      }
      findings++;
      const kinds = [];
      if (msg.fix) kinds.push('autofix');
      if (msg.suggestions?.length)
        kinds.push(`${msg.suggestions.length} suggestion${msg.suggestions.length > 1 ? 's' : ''}`);
      // Counted by the strongest remedy, so the three counts add up to the findings.
      if (msg.fix) autofixes++;
      else if (msg.suggestions?.length) suggestions++;
      else plainReports++;

      console.log(`  ${where}  ${msg.ruleId ?? '(eslint)'}  [${kinds.length ? kinds.join(' + ') : 'no fix'}]`);
      console.log(indent(msg.message, '      '));
      for (const suggestion of msg.suggestions ?? []) {
        console.log(`    suggestion: ${suggestion.desc}`);
        const diff = unifiedDiff(source, applyFix(source, suggestion.fix));
        if (diff) console.log(indent(diff, '      '));
      }
    }

    const fixed = fixedByPath.get(result.filePath);
    if (fixed?.output !== undefined && fixed.output !== source) {
      console.log(`  --fix output for ${rel}:`);
      console.log(indent(unifiedDiff(source, fixed.output), '    '));
      // The fixer run re-lints its own output: it must parse, and no autofix may be left over
      // (ESLint gives up after 10 passes, so a leftover autofix means the fixes do not converge).
      const broken = fixed.messages.filter((m) => m.fatal);
      const left = fixed.messages.filter((m) => !m.fatal);
      const unconverged = left.filter((m) => m.fix);
      if (broken.length) console.log(`  !! the fixed output does not parse: ${broken[0].message}`);
      else if (unconverged.length)
        console.log(`  !! after --fix, ${unconverged.length} autofix(es) still pending: fixes do not converge`);
      else
        console.log(
          `  after --fix: ${left.length} finding${left.length === 1 ? '' : 's'} left (suggestions and reports)`,
        );
    }
  }

  console.log(`\nLinted ${files.length} file${files.length === 1 ? '' : 's'} under ${shown}/ with vectorize/all.`);
  const tail = parseErrors ? `; ${parseErrors} file${parseErrors === 1 ? '' : 's'} did not parse` : '';
  console.log(
    `${findings} findings in ${filesWithFindings} files: ${autofixes} autofixes, ${suggestions} suggestions, ${plainReports} reports without a fix${tail}`,
  );
}

await main();
