// Services wire plugins together: a plugin that `requires` a service starts after the plugin that
// `provides` it. The order is topological; a missing provider, two providers of one service or a
// cycle stops start-up with a message naming the plugins and the service.
export type ServiceNode = { id: string; requires: string[]; provides: string[] };

export class ServiceGraphError extends Error {
  override name = 'ServiceGraphError';
}

/** Plugin ids in start order, and which plugin provides each service. */
export function orderByServices(nodes: ServiceNode[]): { order: string[]; providers: Map<string, string> } {
  const providers = new Map<string, string>();
  for (const n of nodes) {
    for (const s of n.provides) {
      const other = providers.get(s);
      if (other) throw new ServiceGraphError(`service '${s}' is provided by both plugin ${other} and plugin ${n.id}; list only one of them in mff.config.ts`);
      providers.set(s, n.id);
    }
  }
  const deps = new Map<string, string[]>();
  for (const n of nodes) {
    deps.set(n.id, n.requires.map((s) => {
      const p = providers.get(s);
      if (!p) throw new ServiceGraphError(`plugin ${n.id} requires service '${s}', but no plugin listed in mff.config.ts provides it`);
      return p;
    }));
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new ServiceGraphError(`plugins require each other's services in a cycle: ${cycle.join(' → ')}`);
    }
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const n of nodes) visit(n.id, []);
  return { order, providers };
}
