// Configuration for eslint-doc-generator (`npm run docs` writes, `npm run docs:check` verifies).
// It reads the built plugin (dist/ through package.json `exports`), so both scripts build first.
// It owns the header of each docs/rules/<id>.md (down to `<!-- end auto-generated rule header -->`),
// the options list between its option-list markers, and the README rules table between
// `<!-- begin auto-generated rules list -->` and `<!-- end auto-generated rules list -->`.

/** @type {import('eslint-doc-generator').GenerateOptions} */
const config = {
  // Rules table: ✅ recommended; 🔧 fixable and 💡 has suggestions are the tool's own column emojis.
  configEmoji: [['recommended', '✅']],
  // `all` enables every rule, so a column or notice for it would say nothing.
  ignoreConfig: ['all'],
  ruleDocTitleFormat: 'prefix-name',
  ruleListColumns: [
    'name',
    'description',
    'configsError',
    'configsWarn',
    'fixable',
    'hasSuggestions',
    'requiresTypeChecking',
    'deprecated',
  ],
  ruleDocNotices: [
    'deprecated',
    'configs',
    'fixableAndHasSuggestions',
    'requiresTypeChecking',
    'options',
    'description',
  ],
  // STYLE.md 12: every rule doc ends with "When not to use it" (matched case-insensitively).
  ruleDocSectionInclude: ['When not to use it'],
  // STYLE.md 3: every option is documented in an "Options" section (the tool's default, stated).
  ruleDocSectionOptions: true,
  pathRuleDoc: 'docs/rules/{name}.md',
  pathRuleList: 'README.md',
};

export default config;
