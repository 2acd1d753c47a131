// vectorize/no-gradient-break on TF.js (cpu): a reported closure really loses its gradient, the
// same closure written with TF.js ops gives the reference gradient, and the rule's own suggestion
// (no-element-loop's rewrite of the loop) gives it too.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { dedent } from './cases.js';
import { executeModule, prepareTf, transpileFixture } from '../harness/fixture.js';
import plugin from '../../src/index.js';

/** One module, two closures: `broken` (the reported one) and `pure` (TF.js ops only), each run through minimize, variableGrads and tf.grad. */
const source = dedent`
  import * as tf from '@tensorflow/tfjs';

  export function minimizeBroken(w: tf.Variable) {
    const optimizer = tf.train.sgd(0.1);
    try {
      optimizer.minimize(() => {
        const loss = w.square().sum();
        return tf.scalar(loss.dataSync()[0]);
      });
      return 'no error';
    } catch (e) {
      return String(e.message);
    } finally {
      optimizer.dispose();
    }
  }

  export function gradBroken(x) {
    const g = tf.grad((x) => tf.tensor(x.arraySync()).square().sum());
    try {
      return g(x);
    } catch (e) {
      return String(e.message);
    }
  }

  export function gradsPenaltyBroken(w: tf.Variable) {
    const { grads, value } = tf.variableGrads(() => {
      const fit = w.square().sum();
      const penalty = tf.scalar(w.abs().sum().dataSync()[0] * 3);
      return fit.add(penalty);
    }, [w]);
    value.dispose();
    return grads[w.name];
  }

  export function gradsPenaltyPure(w: tf.Variable) {
    const { grads, value } = tf.variableGrads(() => {
      const fit = w.square().sum();
      const penalty = w.abs().sum().mul(3);
      return fit.add(penalty);
    }, [w]);
    value.dispose();
    return grads[w.name];
  }

  export function gradPure(x) {
    return tf.grad((x) => x.square().sum())(x);
  }
`;

let js: string;
const tsSource = `// @ts-nocheck\n${source}`;

beforeAll(async () => {
  await prepareTf();
  js = transpileFixture(tsSource, 'gradient-break.ts');
});

async function call(name: string, input: unknown): Promise<unknown> {
  return (await executeModule(js, [input], { label: `gradient-break-${name}`, exportName: name })).value;
}

describe('no-gradient-break on TF.js', () => {
  it('reports the three broken closures and not the pure ones', async () => {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser },
          plugins: { vectorize: plugin as unknown as ESLint.Plugin },
          rules: { 'vectorize/no-gradient-break': 'error' },
        },
      ],
    });
    const [result] = await eslint.lintText(tsSource, { filePath: 'gradient-break.ts' });
    expect(result.messages.map((m) => `${m.ruleId}:${m.line}`)).toEqual([
      'vectorize/no-gradient-break:9',
      'vectorize/no-gradient-break:20',
      'vectorize/no-gradient-break:31',
    ]);
  });

  it('optimizer.minimize of the broken loss throws the connection error', async () => {
    const w = tf.variable(tf.tensor1d([1, -2, 3]), true, 'exec_minimize_w');
    expect(await call('minimizeBroken', w)).toContain(
      'Cannot find a connection between any variable and the result of the loss function',
    );
    w.dispose();
  });

  it('tf.grad of the broken function throws, the pure one gives 2x', async () => {
    const x = tf.tensor1d([1, -2, 3]);
    expect(await call('gradBroken', x)).toContain('Cannot compute gradient of y=f(x) with respect to x');
    const g = (await call('gradPure', x)) as tf.Tensor;
    expect(Array.from(g.dataSync())).toEqual([2, -4, 6]);
    tf.dispose([x, g]);
  });

  it('a broken penalty term silently drops its part of the gradient; the pure one gives the reference', async () => {
    const w = tf.variable(tf.tensor1d([1, -2, 3]), true, 'exec_penalty_w');
    const broken = (await call('gradsPenaltyBroken', w)) as tf.Tensor;
    const pure = (await call('gradsPenaltyPure', w)) as tf.Tensor;
    // d/dw (Σw² + 3Σ|w|) = 2w + 3·sign(w)
    const reference = [2 + 3, -4 - 3, 6 + 3];
    expect(Array.from(pure.dataSync())).toEqual(reference);
    expect(Array.from(broken.dataSync())).toEqual([2, -4, 6]);
    tf.dispose([w, broken, pure]);
  });
});

describe("no-gradient-break's suggestion restores the gradient", () => {
  const loopSource = dedent`
    import * as tf from '@tensorflow/tfjs';

    export function gradLoop(x: tf.Tensor1D) {
      const g = tf.grad((x: tf.Tensor1D) => {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] * d[i];
        return tf.tensor1d(out).sum();
      });
      try {
        return g(x);
      } catch (e) {
        return String((e as Error).message);
      }
    }
  `;

  it('the loop version throws; the suggested rewrite gives the reference gradient 2x', async () => {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser },
          plugins: { vectorize: plugin as unknown as ESLint.Plugin },
          rules: { 'vectorize/no-gradient-break': 'error' },
        },
      ],
    });
    const [result] = await eslint.lintText(loopSource, { filePath: 'gradient-loop.ts' });
    expect(result.messages).toHaveLength(1);
    const suggestion = result.messages[0].suggestions?.[0];
    expect(suggestion?.desc).toMatch(
      /^Replace the loop with `tf\.tidy\(\(\) => tf\.cast\(tf\.square\(x\), 'float32'\)\)`/,
    );
    const fixed =
      loopSource.slice(0, suggestion!.fix.range[0]) + suggestion!.fix.text + loopSource.slice(suggestion!.fix.range[1]);
    expect(fixed).not.toContain('dataSync');

    const x = tf.tensor1d([1, -2, 3]);
    const before = (
      await executeModule(transpileFixture(loopSource, 'gradient-loop.ts'), [x], {
        label: 'gradient-loop-orig',
        exportName: 'gradLoop',
      })
    ).value;
    expect(before).toContain('Cannot compute gradient of y=f(x) with respect to x');
    const after = (
      await executeModule(transpileFixture(fixed, 'gradient-loop.ts'), [x], {
        label: 'gradient-loop-fixed',
        exportName: 'gradLoop',
      })
    ).value as tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual([2, -4, 6]);
    tf.dispose([x, after]);
  });
});
