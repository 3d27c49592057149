// The `sql` tag plugins write queries with. It only ever produces text with $1..$n placeholders
// and a parameter list (a Statement), so the same query runs in-process or crosses the sandbox
// boundary unchanged. A query runs when awaited; nested inside another `sql` it is inlined.
import type { PluginSql, Row, SqlParam, SqlQuery, Statement } from './types.ts';

export type Execute = (stmt: Statement) => Promise<Row[]>;

class Query<T extends Row> implements SqlQuery<T> {
  readonly text: string;
  readonly params: SqlParam[];
  #exec: Execute;
  #run?: Promise<T[]>;
  constructor(text: string, params: SqlParam[], exec: Execute) {
    this.text = text;
    this.params = params;
    this.#exec = exec;
  }
  then<A = T[], B = never>(ok?: ((v: T[]) => A | PromiseLike<A>) | null, fail?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.#run ??= this.#exec({ text: this.text, params: this.params }) as Promise<T[]>;
    return this.#run.then(ok, fail);
  }
}

function param(v: unknown, i: number): SqlParam {
  if (v === undefined) throw new TypeError(`sql: value ${i + 1} is undefined (use null for SQL NULL)`);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'function' || typeof v === 'symbol') throw new TypeError(`sql: value ${i + 1} is a ${typeof v}`);
  return v as SqlParam;
}

/** Shifts $n placeholders of an inlined query past the parameters already collected. */
const shift = (text: string, by: number) => (by === 0 ? text : text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + by}`));

export const isQuery = (v: unknown): v is SqlQuery => v instanceof Query;

export function toStatement(q: Statement | SqlQuery): Statement {
  return { text: q.text, params: [...(q.params ?? [])] };
}

export function createSql(exec: Execute): PluginSql {
  const sql = <T extends Row = Row>(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery<T> => {
    let text = strings[0];
    const params: SqlParam[] = [];
    values.forEach((v, i) => {
      if (v instanceof Query) {
        text += shift(v.text, params.length);
        params.push(...v.params);
      } else {
        params.push(param(v, i));
        text += `$${params.length}`;
      }
      text += strings[i + 1];
    });
    return new Query<T>(text, params, exec);
  };
  sql.unsafe = <T extends Row = Row>(text: string, params: SqlParam[] = []) => exec({ text, params }) as Promise<T[]>;
  return sql as PluginSql;
}
