// What the bench page and its chart share: HTML escaping and a colour per backend.

/** Escapes text for HTML element content and (double- or single-quoted) attribute values. */
export function esc(text: unknown): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return String(text).replace(/[&<>"']/g, (ch) => entities[ch]);
}

const BACKEND_COLORS: Record<string, string> = {
  cpu: '#2f6db5',
  wasm: '#7b4bb3',
  webgpu: '#2a8a4a',
  webgl: '#c0761a',
  'browser-webgpu': '#1a8f8f',
};
export const colorOf = (name: string) => BACKEND_COLORS[name] ?? '#555';
