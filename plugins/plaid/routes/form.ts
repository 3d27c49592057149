// Small helpers shared by the plugin's page routes.

export async function formOf(req: Request): Promise<Record<string, string>> {
  const data = new URLSearchParams(await req.text());
  return Object.fromEntries([...data].filter(([k]) => k !== '_csrf'));
}

export const isHtmx = (req: Request) => req.headers.get('hx-request') === 'true';

export { canWrite as canManage } from '../../../plugin-sdk/index.ts';
