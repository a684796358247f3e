import { ref } from 'vue'
import { ApiError } from '../api/client'

// A form's error from the server (API.md: {code, message, field}): shown under the field it names,
// or above the buttons when it names none. `submit` runs the save and keeps the refusal; anything
// that is not the server's answer is rethrown.
export function useFormError(fields: string[] = []) {
  const error = ref<{ field?: string; message: string } | null>(null)
  /** The message for a field (or one of its children, e.g. items[2].text). */
  const err = (field: string) => (error.value?.field?.startsWith(field) ? error.value.message : '')
  /** The message that no field of the form shows. */
  const general = () => (error.value && !fields.some((f) => error.value?.field?.startsWith(f)) ? error.value.message : '')
  async function submit<T>(save: () => Promise<T>): Promise<T | undefined> {
    error.value = null
    try {
      return await save()
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      error.value = { field: e.field, message: e.message }
      return undefined
    }
  }
  return { error, err, general, submit }
}
