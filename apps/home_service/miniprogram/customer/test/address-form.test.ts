import { describe, expect, it } from 'vitest'
import type { Address } from '@home-service/shared'
import { addPayload, editPayload, emptyForm, formOf, formProblem } from '../utils/address-form'

const saved: Address = {
  address: 'HS-ADDR-0001',
  contact_name: '邓雯',
  contact_phone: '18089877979',
  tag: 'Home',
  is_default: false,
  province: null,
  city: '上海市',
  district: '徐汇区',
  detail_address: '漕溪北路 88 号',
  address_display: '上海市徐汇区漕溪北路 88 号',
  latitude: 31.19,
  longitude: 121.43,
  serviceable: true,
}

describe('address form', () => {
  it('a new address needs a contact, an 11-digit mobile number and a street address', () => {
    const form = emptyForm()
    expect(formProblem(form)).toBe('Fill in the contact, an 11-digit mobile number and the street address')
    Object.assign(form, { contact_name: ' 王先生 ', contact_phone: '1380013800', detail_address: '衡山路 1 号' })
    expect(formProblem(form)).not.toBeNull() // ten digits
    form.contact_phone = '13800138000'
    expect(formProblem(form)).toBeNull()
    expect(addPayload(form)).toEqual({
      contact_name: '王先生',
      contact_phone: '13800138000',
      city: '上海市',
      district: null,
      detail_address: '衡山路 1 号',
      tag: 'Home',
      latitude: null,
      longitude: null,
      is_default: false,
    })
  })

  it('an edit sends only what changed; an untouched form sends nothing', () => {
    const form = formOf(saved)
    expect(editPayload(form, saved)).toEqual({})
    form.detail_address = '漕溪北路 90 号 '
    form.tag = 'Company'
    expect(editPayload(form, saved)).toEqual({ detail_address: '漕溪北路 90 号', tag: 'Company' })
  })

  it('coordinates go together, an emptied district is cleared, default only turns on', () => {
    const form = formOf(saved)
    form.latitude = 31.2
    form.district = ''
    form.is_default = true
    expect(editPayload(form, saved)).toEqual({ latitude: 31.2, longitude: 121.43, district: '', is_default: true })
    const already = { ...saved, is_default: true }
    const unticked = formOf(already)
    unticked.is_default = false
    expect(editPayload(unticked, already)).toEqual({})
  })

  it('a tag the form does not offer reads as Other', () => {
    expect(formOf({ ...saved, tag: null }).tag).toBe('Other')
  })
})
