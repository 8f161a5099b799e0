import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files of one output folder: relative path (`templates/x.yaml` makes the subfolder) → content. */
export type FolderContents = ReadonlyMap<string, string>;

/**
 * Replaces each `<root>/<folder>` with exactly the given files, so that a
 * reader never sees a half-written folder: every folder is first written in
 * full next to its target, and only then are the folders swapped in by rename.
 * If writing fails, the previous folders are left as they were.
 */
export function replaceFolders(root: string, folders: ReadonlyMap<string, FolderContents>): void {
  fs.mkdirSync(root, { recursive: true });
  const staged: Array<{ temp: string; target: string }> = [];
  try {
    for (const [name, files] of folders) {
      const target = path.join(root, name);
      const temp = path.join(root, `.${name}.tmp-${process.pid}`);
      fs.rmSync(temp, { recursive: true, force: true });
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
