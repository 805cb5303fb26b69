/**
 * The one door through which kspect reads a file a user names or a file reaches through a reference (kubeconfig key
 * files, `--ca`, `--config`, `--baseline`, `--encryption-config`, TLS material, node trees, manifests …).
 *
 * A hostile or careless input cannot hang or exhaust kspect here: only regular files are read. The type is checked
 * with stat before opening (so a device with side effects on open is never opened), the file is opened with
 * O_NONBLOCK (opening a FIFO for reading never waits for a writer) and checked again on the open handle (so a FIFO,
 * device or folder swapped in between is still refused), and the size limit is enforced while reading (a file that
 * grows, or one in /proc that reports size 0, is cut off at the limit). Sockets cannot be opened at all (ENXIO).
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';

/** Largest file read when the caller gives no limit: 64 MiB. */
export const DEFAULT_READ_LIMIT = 64 * 1024 * 1024;

/** Why a file was refused before or while reading; `message` is a short phrase ("is a FIFO (named pipe) …"). */
export class ReadRefusedError extends Error {
  constructor(
    message: string,
    readonly code: 'ENOTREG' | 'EISDIR' | 'EFBIG',
  ) {
    super(message);
    this.name = 'ReadRefusedError';
  }
}

export interface SafeReadOptions {
  /** Largest number of bytes read (default 64 MiB); a longer file is refused with EFBIG. */
  readonly max?: number;
  /**
   * Follow a symbolic link named as the file itself (default true: users name links to their kubeconfigs). With
   * false, the link is refused (node trees resolve their links themselves, inside the node's root).
   */
  readonly follow?: boolean;
  /**
   * A buffer reads share (one loader reading file after file): a file is read into it, and a larger one replaces it
   * when a file does not fit. The bytes returned are then valid only until the next read with the same scratch.
   */
  readonly scratch?: ReadScratch;
}

/**
 * The buffer of `SafeReadOptions.scratch`. A large input read into a buffer per file left the C heap fragmented: glibc
 * raises its threshold for mapping large blocks to the size of the first one freed, so the next files' buffers came
 * from the heap between longer-lived blocks and were never given back (c200k: 154 MB of C heap after loading, 86 MB
 * with one buffer per file, 44–47 MB with this; peak RSS of `scan --jobs 1` 1,197 → 1,171 MB).
 */
export interface ReadScratch {
  buffer?: Buffer;
}

type StatLike = Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isSymbolicLink'>;

/** What a non-regular file is, as the end of a one-line problem ("… is a FIFO (named pipe), not a regular file"). */
export function fileTypeText(st: StatLike): string {
  if (st.isDirectory()) return 'is a folder';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a regular file';
  if (st.isCharacterDevice()) return 'is a character device, not a regular file';
  if (st.isBlockDevice()) return 'is a block device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  if (st.isSymbolicLink()) return 'is a symbolic link that could not be followed';
  return 'is not a regular file';
}

function refuseType(st: StatLike): ReadRefusedError {
  return new ReadRefusedError(fileTypeText(st), st.isDirectory() ? 'EISDIR' : 'ENOTREG');
}

/** `12.3 MiB` or `512 bytes`. */
export function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

/**
 * Open a regular file for reading, refusing every other type without blocking. The caller closes the handle.
 * Throws ReadRefusedError for a refused type, or the system error (ENOENT, EACCES …).
 */
export async function openRegularFile(path: string, options: SafeReadOptions = {}): Promise<{ handle: FileHandle; stats: Stats }> {
  const follow = options.follow ?? true;
  const pre = follow ? await stat(path) : await lstat(path);
  if (!pre.isFile()) throw refuseType(pre);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW));
  } catch (e) {
    const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
    if (code === 'ENXIO') throw new ReadRefusedError('is a socket, not a regular file', 'ENOTREG');
    if (code === 'ELOOP' && !follow) throw new ReadRefusedError('is a symbolic link that could not be followed', 'ENOTREG');
    throw e;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuseType(stats);
    return { handle, stats };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** Read a whole regular file, at most `max` bytes, with the stats of the handle it was read from (mode, owner). */
export async function readRegularWithStats(path: string, options: SafeReadOptions = {}): Promise<{ data: Buffer; stats: Stats }> {
  const max = options.max ?? DEFAULT_READ_LIMIT;
  const { handle, stats } = await openRegularFile(path, options);
  try {
    if (stats.size > max) throw new ReadRefusedError(`is ${sizeText(stats.size)}, over the ${sizeText(max)} limit`, 'EFBIG');
    // The file is read into one buffer of its size (plus one byte: a file that grew shows as longer); only a file that
    // grew past it takes more chunks. A large input read as size, probe and copy made three buffers per file.
    const size = Math.min(max + 1, Math.max(stats.size + 1, 64 * 1024));
    const scratch = options.scratch;
    const kept = scratch?.buffer;
    const first = kept !== undefined && kept.length >= size ? kept : Buffer.allocUnsafeSlow(scratch ? Math.min(max + 1, Math.max(size, Math.ceil(size * 1.25))) : size);
    if (scratch) scratch.buffer = first;
    let filled = 0;
    for (;;) {
      const r = await handle.read(first, filled, size - filled, null);
      if (r.bytesRead === 0) return { data: first.subarray(0, filled), stats };
      filled += r.bytesRead;
      if (filled > max) throw new ReadRefusedError(`is over the ${sizeText(max)} limit`, 'EFBIG');
      if (filled === size) break;
    }
    const chunks: Buffer[] = [first.subarray(0, filled)];
    let total = filled;
    const chunk = Math.min(max + 1, 64 * 1024);
    for (;;) {
      const buf = Buffer.allocUnsafe(chunk);
      const r = await handle.read(buf, 0, buf.length, null);
      if (r.bytesRead === 0) break;
      total += r.bytesRead;
      if (total > max) throw new ReadRefusedError(`is over the ${sizeText(max)} limit`, 'EFBIG');
      chunks.push(r.bytesRead === buf.length ? buf : buf.subarray(0, r.bytesRead));
    }
    return { data: Buffer.concat(chunks, total), stats };
  } finally {
    await handle.close();
  }
}

/** Read a whole regular file, at most `max` bytes (see the file header). */
export async function readRegularFile(path: string, options: SafeReadOptions = {}): Promise<Buffer> {
  return (await readRegularWithStats(path, options)).data;
}

/** Read a whole regular file as UTF-8 text (see readRegularFile). */
export async function readRegularText(path: string, options: SafeReadOptions = {}): Promise<string> {
  return (await readRegularFile(path, options)).toString('utf8');
}

/**
 * Read a stream (standard input) to its end, at most `max` bytes: past the limit, reading stops at once and the
 * result is the first `max + 1` bytes, so the caller can tell it was cut (`length > max`) without holding the rest.
 */
export async function readStreamLimited(stream: AsyncIterable<unknown> & { destroy?: () => void }, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
    chunks.push(b);
    total += b.length;
    if (total > max) {
      stream.destroy?.();
      return Buffer.concat(chunks, total).subarray(0, max + 1);
    }
  }
  return Buffer.concat(chunks, total);
}

/** The one-line reason a read failed: a refused type, a size over the limit, or the system error in words. */
export function readErrorText(e: unknown): string {
  if (e instanceof ReadRefusedError) return e.message;
  if (e && typeof e === 'object' && 'code' in e) {
    const code = String(e.code);
    const text: Record<string, string> = {
      ENOENT: 'no such file or folder',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EISDIR: 'is a folder',
      ELOOP: 'too many levels of symbolic links',
      ENOTDIR: 'not a folder',
      ENAMETOOLONG: 'the path is too long',
      EMFILE: 'too many open files',
      EIO: 'input/output error',
    };
    return text[code] ?? code;
  }
  return e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
}
