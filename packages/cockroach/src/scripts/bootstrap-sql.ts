import { ORY_DATABASES, SqlUserNames } from '../sql-users';

/**
 * The bootstrap SQL, idempotent: each Ory service's database and SQL user (certificate
 * authentication, `ALL` on its own database only, so it owns the tables its migrations create),
 * and the verifier, which may `SELECT` every table the service users create (default privileges).
 */
export function renderBootstrapSql(users: SqlUserNames): string {
  const v = users.verifier;
  const statements = [`CREATE USER IF NOT EXISTS ${v};`];
  for (const database of ORY_DATABASES) {
    const owner = users[database];
    statements.push(
      `CREATE DATABASE IF NOT EXISTS ${database};`,
      `CREATE USER IF NOT EXISTS ${owner};`,
      `GRANT ALL ON DATABASE ${database} TO ${owner};`,
      `GRANT CONNECT ON DATABASE ${database} TO ${v};`,
      `USE ${database};`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT ON TABLES TO ${v};`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${v};`,
    );
  }
  return `${statements.join('\n')}\n`;
}
