// Checks that turn "it hangs" or "java.lang.UnsupportedClassVersionError" into one clear line,
// done before the step that needs them (java/mvn only when a broker must be started).
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  MAVEN_CENTRAL,
  KAFKA_VERSION,
  SCALA_VERSION,
  MIN_JAVA_MAJOR,
} from './config';

export class InfraError extends Error {}

export const log = (msg: string) => console.log(`[infra] ${msg}`);

export interface RunResult {
  code: number | null;
  output: string; // stdout + stderr interleaved, for error messages
}

// Helpers still running (mvn, the storage format); killed if `infra up` is interrupted, since
// they would otherwise outlive it.
const running = new Set<ChildProcess>();
export function killHelpers(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Runs a command to completion, capturing output; kills it after timeoutMs so nothing hangs. */
export function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      output += `\n[tools/infra] killed after ${Math.round(timeoutMs / 1000)} s`;
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, output });
    });
  });
}

/** JAVA_HOME wins over PATH, the same rule mvn follows, so both use the same JDK. */
export function javaBin(): string {
  const home = process.env['JAVA_HOME'];
  return home ? path.join(home, 'bin', 'java') : 'java';
}

export async function checkJava(): Promise<void> {
  const java = javaBin();
  let res: RunResult;
  try {
    res = await run(java, ['-version'], 30_000);
  } catch {
    throw new InfraError(
      `java not found (${java}); the local Kafka broker needs Java ${MIN_JAVA_MAJOR}+ on PATH or JAVA_HOME`,
    );
  }
  // `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15 (or "1.8.0_392" for Java 8)
  const m = /version "(\d+)(?:\.(\d+))?/.exec(res.output);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (res.code !== 0 || !(major >= MIN_JAVA_MAJOR)) {
    const first = res.output.split('\n')[0]?.trim();
    throw new InfraError(
      `Kafka ${KAFKA_VERSION} needs Java ${MIN_JAVA_MAJOR}+, but ${java} reports: ${first || 'nothing'}`,
    );
  }
}

export async function checkMaven(): Promise<void> {
  let res: RunResult;
  try {
    res = await run('mvn', ['-v'], 60_000);
  } catch {
    throw new InfraError(
      'mvn not found on PATH; it is needed once to download the Kafka jars',
    );
  }
  if (res.code !== 0)
    throw new InfraError(`mvn -v failed:\n${res.output.trim()}`);
}

/**
 * A quick HTTP probe before mvn: mvn's own network failure comes late and buried in pages of
 * output. MAVEN_CENTRAL_URL points the probe at a mirror for those whose settings.xml uses one.
 */
export async function checkMavenCentral(): Promise<void> {
  const url = `${MAVEN_CENTRAL}/org/apache/kafka/kafka_${SCALA_VERSION}/${KAFKA_VERSION}/kafka_${SCALA_VERSION}-${KAFKA_VERSION}.pom`;
  try {
    const res = await fetch(url, {
      method: 'HEAD',
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new InfraError(
      `Maven Central unreachable (${url}): ${cause ?? (err as Error).message}; ` +
        'needed once to download the Kafka jars into .cache/kafka',
    );
  }
}
