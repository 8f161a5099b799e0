import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files of one output folder: relative path (`templates/x.yaml` makes the subfolder) → content. */
export type FolderContents = ReadonlyMap<string, string>;

/** Whether `folder` already holds exactly these files with this content (then nothing needs writing). */
function holdsExactly(folder: string, files: FolderContents): boolean {
  try {
    const present = fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    if (present.length !== files.size) return false;
    for (const [file, content] of files) {
      if (fs.readFileSync(path.join(folder, file), 'utf8') !== content) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces each `<root>/<folder>` with exactly the given files, so that a
 * reader never sees a half-written folder: every folder is first written in
 * full next to its target, and only then are the folders swapped in by rename.
 * A folder that already holds exactly these files is left alone. If writing
 * fails, the previous folders are left as they were.
 */
export function replaceFolders(root: string, folders: ReadonlyMap<string, FolderContents>): void {
  fs.mkdirSync(root, { recursive: true });
  const staged: Array<{ temp: string; target: string }> = [];
  try {
    for (const [name, files] of folders) {
      const target = path.join(root, name);
      if (holdsExactly(target, files)) continue;
      const temp = path.join(root, `.${name}.tmp-${process.pid}`);
      // (Node loads its recursive remover on first use: a few ms, worth saving when nothing is left over.)
      if (fs.existsSync(temp)) fs.rmSync(temp, { recursive: true, force: true });
      fs.mkdirSync(temp);
      staged.push({ temp, target });
      for (const [file, content] of files) {
        fs.mkdirSync(path.dirname(path.join(temp, file)), { recursive: true });
        fs.writeFileSync(path.join(temp, file), content);
      }
    }
  } catch (error) {
    for (const { temp } of staged) fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  for (const { temp, target } of staged) {
    const old = `${temp}.old`;
    const hadTarget = fs.existsSync(target);
    if (hadTarget) fs.renameSync(target, old);
    fs.renameSync(temp, target);
    if (hadTarget) fs.rmSync(old, { recursive: true, force: true });
  }
}
