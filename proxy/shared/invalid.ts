// The one way the proxy reports bad settings, whatever their source (environment, JSON rules, code): a list of
// problems, each naming the field or variable, collected before throwing so one message names them all.

export interface FieldProblem {
  /** `MCF_PRICING`, `speeds.Standard.amount`, `resilience.ratePlans.preview.burst`, … */
  path: string;
  message: string;
}

export class InvalidSettings extends Error {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[], heading = "Invalid settings") {
    super(`${heading}:\n${problems.map((problem) => `  ${problem.path}: ${problem.message}`).join("\n")}`);
    this.name = "InvalidSettings";
    this.problems = problems;
  }
}

/** Collects problems; `done()` throws them all at once. */
export function problemCollector(prefix = "") {
  const problems: FieldProblem[] = [];
  const at = (path: string) => (prefix && path ? `${prefix}.${path}` : prefix || path);
  return {
    problems,
    add(path: string, message: string) {
      problems.push({ path: at(path), message });
    },
    /** Adds another collector's or error's problems under this prefix. */
    merge(inner: readonly FieldProblem[]) {
      for (const problem of inner) problems.push({ path: at(problem.path), message: problem.message });
    },
    done(heading?: string) {
      if (problems.length > 0) throw new InvalidSettings(problems, heading);
    },
  };
}
