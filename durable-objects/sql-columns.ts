// A Durable Object's SQLite tables are created by the object itself (CREATE TABLE IF NOT
// EXISTS); a column added later must also reach objects whose tables already exist.
export function addColumnIfMissing(sql: SqlStorage, table: string, column: string, type: string): void {
  const columns = sql.exec<{ name: string }>(`PRAGMA table_info(${table})`).toArray();
  if (!columns.some((c) => c.name === column)) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}
