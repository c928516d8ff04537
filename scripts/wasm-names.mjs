// Short names for the links between the release wasm and its glue script.
//
// The wasm imports each browser call under a long generated name (module "./petitie_bg.js",
// field "__wbg_addEventListener_847fd86b8c33ec43") and the glue script provides it under the
// same name; the same holds for the wasm's exports that the glue calls. Those names are
// downloaded twice (once in each file) and weigh about 3 KB brotli. `shortenNames` gives each
// one a name of one or two letters in both files. Nothing else refers to them.

const LONG = /^(__wbg_|__wbindgen_|__externref_|wasm_bindgen_)/;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The n-th short name: a, b, ..., Z, aa, ab, ... */
export function shortName(n) {
  let name = '';
  for (let i = n; ; i = Math.floor(i / LETTERS.length) - 1) {
    name = LETTERS[i % LETTERS.length] + name;
    if (i < LETTERS.length) return name;
  }
}

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function readName(bytes, at) {
  const [length, start] = readLeb(bytes, at);
  return [utf8.decode(bytes.subarray(start, start + length)), start + length];
}

function name(text) {
  const encoded = encoder.encode(text);
  return [...leb(encoded.length), ...encoded];
}

// The length of an import's description (after its kind byte) at `at`.
function importDescEnd(bytes, kind, at) {
  const limits = (i) => {
    const flags = bytes[i];
    let [, next] = readLeb(bytes, i + 1);
    if (flags & 1) [, next] = readLeb(bytes, next);
    return next;
  };
  switch (kind) {
    case 0: // function: type index
      return readLeb(bytes, at)[1];
    case 1: // table: reference type, limits
      return limits(at + 1);
    case 2: // memory: limits
      return limits(at);
    case 3: // global: value type, mutability
      if (bytes[at] === 0x63 || bytes[at] === 0x64) return readLeb(bytes, at + 1)[1] + 1;
      return at + 2;
    case 4: // tag: attribute, type index
      return readLeb(bytes, at + 1)[1];
    default:
      throw new Error(`wasm-names: import of unknown kind ${kind}`);
  }
}

/**
 * Renames the wasm's generated import and export names (see above) in `wasm` (bytes) and
 * `glue` (the glue script's text). Returns both and how many names changed.
 */
export function shortenNames(wasm, glue) {
  const renames = new Map();
  const imported = new Set();
  const rename = (old) => {
    if (!LONG.test(old)) return old;
    if (!renames.has(old)) renames.set(old, shortName(renames.size));
    return renames.get(old);
  };
  let module = null;
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readLeb(wasm, at + 1);
    const end = start + size;
    if (id === 2 || id === 7) {
      const [count, first] = readLeb(wasm, start);
      const body = [...leb(count)];
      let i = first;
      for (let n = 0; n < count; n++) {
        if (id === 2) {
          let [from, field] = [];
          [from, i] = readName(wasm, i);
          [field, i] = readName(wasm, i);
          const kind = wasm[i];
          const descEnd = importDescEnd(wasm, kind, i + 1);
          // Only the glue's own imports; others (the wasm parts' loader) keep their names.
          if (from.endsWith('_bg.js')) {
            if (module !== null && from !== module) {
              throw new Error(`wasm-names: two glue modules (${module}, ${from})`);
            }
            module = from;
            imported.add(field);
            body.push(...name('a'), ...name(rename(field)), ...wasm.subarray(i, descEnd));
          } else {
            body.push(...name(from), ...name(field), ...wasm.subarray(i, descEnd));
          }
          i = descEnd;
        } else {
          let field;
          [field, i] = readName(wasm, i);
          const [, indexEnd] = readLeb(wasm, i + 1);
          body.push(...name(rename(field)), ...wasm.subarray(i, indexEnd));
          i = indexEnd;
        }
      }
      if (i !== end) throw new Error(`wasm-names: section ${id} is not as expected`);
      parts.push(Uint8Array.of(id, ...leb(body.length), ...body));
    } else {
      parts.push(wasm.subarray(at, end));
    }
    at = end;
  }
  if (at !== wasm.length) throw new Error('wasm-names: the wasm is cut short');

  // The glue: the import object's key for the module, and each name as a whole word.
  const moduleKey = JSON.stringify(module);
  if (module !== null) {
    if (glue.split(moduleKey).length !== 2) {
      throw new Error(`wasm-names: the glue names the module ${moduleKey} not exactly once`);
    }
    glue = glue.replace(moduleKey, '"a"');
  }
  for (const [old, short] of renames) {
    const word = new RegExp(`(?<![\\w$])${old}(?![\\w$])`, 'g');
    const found = glue.match(word)?.length ?? 0;
    if (found === 0 && imported.has(old)) {
      throw new Error(`wasm-names: the glue does not provide ${old}`);
    }
    glue = glue.replace(word, short);
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return { wasm: out, glue, renamed: renames.size };
}
