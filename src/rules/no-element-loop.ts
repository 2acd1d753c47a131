import { createRule } from '../create-rule.js';

export default createRule({
  name: 'no-element-loop',
  meta: {
    type: 'suggestion',
    docs: { description: 'Disallow element-by-element loops over tensor data that a vectorized TF.js op computes', recommended: true },
    schema: [],
    messages: { vectorizable: 'This loop computes {{what}} element by element; use `{{replacement}}`.' },
  },
  defaultOptions: [],
  create() {
    return {};
  },
});
