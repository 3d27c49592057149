// The SDK's own version: a manifest's `sdk` range must accept it (checked before the plugin loads).
export const SDK_VERSION = '1.0.0';
