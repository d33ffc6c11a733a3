// clipboard: writes text to the system clipboard, falling back to a hidden textarea where the async API is refused.

/**
 * Puts `text` on the clipboard. The async Clipboard API needs a secure context and permission; when it is missing or
 * refused, a selected off-screen textarea and execCommand('copy') do the same inside the user's key or click event.
 * Resolves false when neither worked (the caller says so rather than pretending).
 */
export async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Fall through to the textarea.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.left = '-10000px'
  const active = document.activeElement as HTMLElement | null
  document.body.appendChild(area)
  area.select()
  let copied = false
  try {
    copied = document.execCommand('copy')
  } catch {
    copied = false
  }
  area.remove()
  active?.focus()
  return copied
}
