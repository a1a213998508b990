/**
 * The phone's position for going online and the steps on site. Mini-programs use GCJ-02 (what the
 * map apps and the customer's chosen address use); H5 has the browser's WGS-84 position only.
 */
export interface Position {
  latitude: number
  longitude: number
}

export function getPosition(): Promise<Position> {
  return new Promise((resolve, reject) =>
    uni.getLocation({
      type: __HS_PLATFORM__ === 'h5' ? 'wgs84' : 'gcj02',
      isHighAccuracy: true,
      success: (r) => resolve({ latitude: r.latitude, longitude: r.longitude }),
      fail: (e) => reject(new Error(e?.errMsg || 'location unavailable')),
    }),
  )
}

/** Hand the address to the phone's map app, which routes there. */
export function navigateTo(latitude: number, longitude: number, name: string, address: string): void {
  uni.openLocation({ latitude, longitude, name, address, scale: 16 })
}
