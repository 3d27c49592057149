// Hostile: a static import of a network module; the sandbox must refuse to load it at all.
import { connect } from 'node:net';
import { definePlugin } from '../../../../../plugin-sdk/index.ts';

export default definePlugin({ onEnable: async () => void connect(5432, '127.0.0.1') });
