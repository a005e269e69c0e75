import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** DynamoDB Local 3.x is compiled for Java 17: older runtimes fail with an opaque class-version error. */
const MINIMUM_JAVA_MAJOR = 17;

const INSTALL_HINT =
  'DynamoDB Local needs Java >= 17. Install it with `apt-get install openjdk-17-jre-headless` on Debian/Ubuntu, ' +
  'or put any JDK/JRE >= 17 on PATH or point JAVA_HOME at it.';

/** The java executable: JAVA_HOME's when set (as the JDK tools do), else the one on PATH. */
function javaExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * Reads the major version from `java -version` output. Java 8 and older report `1.<major>`,
 * Java 9+ report `<major>.<minor>...`.
 */
function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Resolves to the java executable to use, or rejects with instructions to install one. */
export async function requireJava17(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const java = javaExecutable(env);
  let output: string;
  try {
    // `java -version` writes to stderr.
    const { stdout, stderr } = await execFileAsync(java, ['-version']);
    output = `${stderr}${stdout}`;
  } catch (error) {
    throw new Error(`Cannot run \`${java} -version\` (${(error as Error).message}). ${INSTALL_HINT}`);
  }
  const major = parseJavaMajorVersion(output);
  if (major === undefined || major < MINIMUM_JAVA_MAJOR) {
    throw new Error(`Found Java ${major ?? 'of unknown version'} at \`${java}\`. ${INSTALL_HINT}`);
  }
  return java;
}
