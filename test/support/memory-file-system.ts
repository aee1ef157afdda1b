import * as path from 'node:path';
import type { DirEntry, DiscoveryFileSystem } from '../../src';

type Node =
  { kind: 'file'; text: string } | { kind: 'dir' } | { kind: 'link'; target: string } | { kind: 'unreadable' };

/** An in-memory file system for discovery unit tests: files, folders, symlinks and unreadable files. */
export class MemoryFileSystem implements DiscoveryFileSystem {
  private readonly nodes = new Map<string, Node>([['/', { kind: 'dir' }]]);
  readonly reads: string[] = [];

  file(file: string, text: string): this {
    this.mkdirs(path.dirname(file));
    this.nodes.set(file, { kind: 'file', text });
    return this;
  }

  json(file: string, value: unknown): this {
    return this.file(file, JSON.stringify(value));
  }

  dir(dir: string): this {
    this.mkdirs(dir);
    return this;
  }

  link(file: string, target: string): this {
    this.mkdirs(path.dirname(file));
    this.nodes.set(file, { kind: 'link', target: path.resolve(path.dirname(file), target) });
    return this;
  }

  unreadable(file: string): this {
    this.mkdirs(path.dirname(file));
    this.nodes.set(file, { kind: 'unreadable' });
    return this;
  }

  readDir(dir: string): DirEntry[] {
    const real = this.realPath(dir);
    if (this.nodes.get(real)?.kind !== 'dir') throw Object.assign(new Error(`ENOTDIR: ${dir}`), { code: 'ENOTDIR' });
    const prefix = real === '/' ? '/' : `${real}/`;
    const entries: DirEntry[] = [];
    for (const [file, node] of this.nodes) {
      if (!file.startsWith(prefix) || file === real || file.slice(prefix.length).includes('/')) continue;
      entries.push({
        name: file.slice(prefix.length),
        kind: node.kind === 'dir' ? 'directory' : node.kind === 'link' ? 'symlink' : 'other',
      });
    }
    return entries;
  }

  readFile(file: string): string {
    this.reads.push(file);
    const node = this.nodes.get(this.realPath(file));
    if (node?.kind === 'unreadable') throw Object.assign(new Error(`EACCES: ${file}`), { code: 'EACCES' });
    if (node?.kind !== 'file') throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    return node.text;
  }

  realPath(file: string): string {
    let current = '/';
    const seen = new Set<string>();
    for (const part of path.resolve(file).split('/').filter(Boolean)) {
      let next = path.join(current, part);
      let node = this.nodes.get(next);
      while (node?.kind === 'link') {
        if (seen.has(next)) throw Object.assign(new Error(`ELOOP: ${file}`), { code: 'ELOOP' });
        seen.add(next);
        next = this.realPath(node.target);
        node = this.nodes.get(next);
      }
      if (node === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
      current = next;
    }
    return current;
  }

  isDirectory(file: string): boolean {
    try {
      return this.nodes.get(this.realPath(file))?.kind === 'dir';
    } catch {
      return false;
    }
  }

  private mkdirs(dir: string): void {
    let current = '/';
    for (const part of dir.split('/').filter(Boolean)) {
      current = path.join(current, part);
      if (!this.nodes.has(current)) this.nodes.set(current, { kind: 'dir' });
    }
  }
}
