// What a WebGPU adapter is, read the same way by the Node webgpu backend (./backends.ts) and by the browser
// page (./browser/page.ts): no Node module here, since esbuild bundles it into the page.
import type { AdapterInfo } from './types.js';

export interface RawAdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}

export interface AdapterLike {
  info?: RawAdapterInfo;
  requestAdapterInfo?(): Promise<RawAdapterInfo>;
  isFallbackAdapter?: boolean;
}

/** A renderer or adapter that is a CPU emulation: its timings say nothing about a GPU. */
export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i;

/** Reads the adapter's info (`adapter.info`; `requestAdapterInfo()` in older implementations). */
export async function adapterInfo(adapter: AdapterLike): Promise<AdapterInfo> {
  const raw: RawAdapterInfo = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  const vendor = raw.vendor ?? '';
  const architecture = raw.architecture ?? '';
  const description = raw.description ?? '';
  const device = raw.device || undefined;
  const software =
    raw.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    SOFTWARE_RENDERER.test([vendor, architecture, description, device ?? ''].join(' '));
  return { vendor, architecture, description, ...(device ? { device } : {}), software };
}
