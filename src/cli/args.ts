import type { Io } from './main';

/** Minimal flag parsing for our commands: `--flag`, `--key value`, `--key=value`, positionals. */
export interface ParsedArgs {
  flags: Map<string, string | true>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], valued: readonly string[] = []): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (valued.includes(a.slice(2)) && i + 1 < argv.length) flags.set(a.slice(2), argv[++i] as string);
      else flags.set(a.slice(2), true);
    } else positionals.push(a);
  }
  return { flags, positionals };
}

/** What a command accepts: its usage text, its options, and how many positional arguments. */
export interface CommandSpec {
  /** Printed by --help (on stdout) and after a usage error (on stderr): zh-CN first, then English. */
  readonly usage: string;
  /** Options that take a value: `--key value` or `--key=value`. */
  readonly valued?: readonly string[];
  /** Options that take none. */
  readonly switches?: readonly string[];
  /** Names of the positional arguments, all required (e.g. ['<file>']). */
  readonly positionals?: readonly string[];
}

export interface CommandArgs extends ParsedArgs {
  /** Every value of a valued option, in order (`--key a --key b`). */
  values: (name: string) => string[];
}

/**
 * Strict parsing for an operator's command: `-h`/`--help` prints the usage and answers 0; an unknown
 * option, a valued option without its value, a switch given a value, a missing or an extra
 * positional argument prints what is wrong and the usage, and answers 2. A typo therefore never
 * runs the command with the option ignored (`--chek` is not a rotation).
 */
export function parseCommand(argv: readonly string[], spec: CommandSpec, io: Io): CommandArgs | number {
  const valued = spec.valued ?? [];
  const switches = spec.switches ?? [];
  const names = spec.positionals ?? [];
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(spec.usage);
    return 0;
  }
  const usageError = (message: string): number => refuseUsage(io, spec.usage, message);
  const flags = new Map<string, string | true>();
  const all = new Map<string, string[]>();
  const positionals: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (optionsEnded || !a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    if (a === '--') {
      optionsEnded = true;
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? a.slice(2, eq > 0 ? eq : undefined) : '';
    if (valued.includes(name)) {
      let value: string | undefined;
      if (eq > 0) value = a.slice(eq + 1);
      else {
        const next = argv[i + 1];
        value = next === undefined || next.startsWith('--') ? undefined : next;
        if (value !== undefined) i++;
      }
      if (value === undefined || value === '')
        return usageError(`--${name} 缺少取值 / --${name} needs a value`);
      flags.set(name, value);
      all.set(name, [...(all.get(name) ?? []), value]);
    } else if (switches.includes(name)) {
      if (eq > 0) return usageError(`--${name} 不带取值 / --${name} takes no value`);
      flags.set(name, true);
    } else return usageError(`未知选项 / unknown option: ${a}`);
  }
  if (positionals.length < names.length)
    return usageError(`缺少参数 / missing argument: ${names.slice(positionals.length).join(' ')}`);
  if (positionals.length > names.length)
    return usageError(`多余的参数 / unexpected argument: ${positionals.slice(names.length).join(' ')}`);
  return { flags, positionals, values: (name) => all.get(name) ?? [] };
}

/** A usage error: what is wrong, then the command's usage, on stderr; the exit code 2. */
export function refuseUsage(io: Io, usage: string, message: string): number {
  io.err(`${message}\n\n${usage}`);
  return 2;
}
