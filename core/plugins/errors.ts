// Errors of the plugin host. Their `name` survives serialization, so a sandboxed plugin sees the
// same PermissionDenied an in-process plugin sees.
export class PermissionDenied extends Error {
  override name = 'PermissionDenied';
}

/** A plugin that cannot start: bad manifest, missing service, incompatible SDK. Names the plugin and why. */
export class PluginLoadError extends Error {
  override name = 'PluginLoadError';
  readonly pluginId: string;
  constructor(pluginId: string, message: string) {
    super(message);
    this.pluginId = pluginId;
  }
}
