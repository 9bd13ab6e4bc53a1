import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** One file of a zip archive, as its central directory describes it. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  /** Unix mode bits (upper half of the external attributes), 0 when the archive has none. */
  readonly mode: number;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  if (read !== length) throw new Error(`zip: short read at ${position} (${read} of ${length} bytes)`);
  return buffer;
}

/** The central directory of a zip file (no zip64: every size below 4 GiB). */
export function listZipEntries(zipPath: string): ZipEntry[] {
  const fd = openSync(zipPath, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`zip: ${zipPath} has no end-of-central-directory record`);
    const count = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    const directory = readAt(fd, directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let n = 0; n < count; n++) {
      if (directory.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`zip: bad central directory entry ${n} in ${zipPath}`);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      entries.push({
        method: directory.readUInt16LE(at + 10),
        crc32: directory.readUInt32LE(at + 16),
        compressedSize: directory.readUInt32LE(at + 20),
        size: directory.readUInt32LE(at + 24),
        mode: directory.readUInt32LE(at + 38) >>> 16,
        localHeaderOffset: directory.readUInt32LE(at + 42),
        name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** The content of one entry, inflated and checked against its CRC-32. */
export function readZipEntry(zipPath: string, entry: ZipEntry): Buffer {
  const fd = openSync(zipPath, 'r');
  try {
    const header = readAt(fd, entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL_FILE_HEADER) throw new Error(`zip: bad local header for ${entry.name} in ${zipPath}`);
    const dataOffset = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const raw = readAt(fd, dataOffset, entry.compressedSize);
    const content = entry.method === STORED ? raw : entry.method === DEFLATED ? inflateRawSync(raw) : undefined;
    if (!content) throw new Error(`zip: ${entry.name} uses compression method ${entry.method} (only stored and deflated are read)`);
    if (content.length !== entry.size || crc32(content) >>> 0 !== entry.crc32) throw new Error(`zip: ${entry.name} in ${zipPath} is corrupt (size or CRC-32 differs)`);
    return content;
  } finally {
    closeSync(fd);
  }
}
