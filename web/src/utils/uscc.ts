// GB 32100-2015 unified social credit code, as on the server (src/codes/uscc.cpp): the browser
// checks as the user types, the server checks again.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** The check character for 17 characters, or null when one is outside the alphabet. */
export function checkChar(first17: string): string | null {
  if (first17.length !== 17) return null
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i])
    if (v < 0) return null
    sum += v * WEIGHTS[i]
  }
  const c = (31 - (sum % 31)) % 31
  return ALPHABET[c]
}

export type UsccCheck = { ok: true; code: string } | { ok: false; message: string }

/** Trims, upper-cases and checks; the message says what is wrong, in Chinese. */
export function checkUscc(input: string): UsccCheck {
  const code = input.trim().toUpperCase()
  if (code.length !== 18) return { ok: false, message: `统一社会信用代码应为 18 位，实为 ${code.length} 位` }
  for (let i = 0; i < 18; i++) {
    if (!ALPHABET.includes(code[i]))
      return { ok: false, message: `第 ${i + 1} 位字符不合法（不使用 I、O、Z、S、V）` }
  }
  const expected = checkChar(code.slice(0, 17))
  if (code[17] !== expected) return { ok: false, message: `统一社会信用代码校验位错误，应为 ${expected}` }
  return { ok: true, code }
}
