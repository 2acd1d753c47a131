// Types of the CommonJS entry (index.cjs): the plugin object itself.
declare const plugin: typeof import('./eslint-plugin.js').default;
export = plugin;
