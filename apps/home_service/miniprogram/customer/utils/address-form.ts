/**
 * The address form (pages-me/address-edit.vue): a new address or one of mine to edit, the check
 * before sending, and what to send — all fields for add_address, only the changed ones for
 * edit_address (a field left out stays as it is on the server).
 */
import type { Address } from '@home-service/shared'

export const ADDRESS_TAGS = ['Home', 'Company', 'Parents', 'Other'] as const
export type AddressTag = (typeof ADDRESS_TAGS)[number]

export interface AddressForm {
  contact_name: string
  contact_phone: string
  city: string
  district: string
  detail_address: string
  tag: AddressTag
  latitude: number | null
  longitude: number | null
  is_default: boolean
}

export function emptyForm(): AddressForm {
  return {
    contact_name: '',
    contact_phone: '',
    city: '上海市',
    district: '',
    detail_address: '',
    tag: 'Home',
    latitude: null,
    longitude: null,
    is_default: false,
  }
}

export function formOf(address: Address): AddressForm {
  return {
    contact_name: address.contact_name,
    contact_phone: address.contact_phone,
    city: address.city,
    district: address.district ?? '',
    detail_address: address.detail_address,
    tag: (ADDRESS_TAGS as readonly string[]).includes(address.tag ?? '') ? (address.tag as AddressTag) : 'Other',
    latitude: address.latitude,
    longitude: address.longitude,
    is_default: address.is_default,
  }
}

/** The English key of what is missing or wrong (shown with t()), or null when the form can be sent. */
export function formProblem(form: AddressForm): string | null {
  if (!form.contact_name.trim() || !/^1\d{10}$/.test(form.contact_phone.trim()) || !form.detail_address.trim() || !form.city.trim()) {
    return 'Fill in the contact, an 11-digit mobile number and the street address'
  }
  return null
}

type Payload = Partial<ReturnType<typeof addPayload>>

/** What add_address takes: every field, trimmed; an empty district as null. */
export function addPayload(form: AddressForm) {
  return {
    contact_name: form.contact_name.trim(),
    contact_phone: form.contact_phone.trim(),
    city: form.city.trim(),
    district: form.district.trim() || null,
    detail_address: form.detail_address.trim(),
    tag: form.tag,
    latitude: form.latitude,
    longitude: form.longitude,
    is_default: form.is_default,
  }
}

/** What edit_address takes: the changed fields only. Coordinates go together; "default" can only be
 * turned on (the server keeps one default: choosing another address unsets this one). An emptied
 * district is sent as "" so that the server clears it (null would mean "unchanged"). */
export function editPayload(form: AddressForm, original: Address): Payload {
  const now = addPayload(form)
  const before = addPayload(formOf(original))
  const changes: Payload = {}
  for (const key of ['contact_name', 'contact_phone', 'city', 'detail_address'] as const) {
    if (now[key] !== before[key]) changes[key] = now[key]
  }
  if (now.tag !== before.tag) changes.tag = now.tag
  if (now.district !== before.district) changes.district = now.district ?? ''
  if (now.latitude !== null && now.longitude !== null && (now.latitude !== before.latitude || now.longitude !== before.longitude)) {
    changes.latitude = now.latitude
    changes.longitude = now.longitude
  }
  if (now.is_default && !original.is_default) changes.is_default = true
  return changes
}
