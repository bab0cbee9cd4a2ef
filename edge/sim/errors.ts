// Upbit error bodies. Exchange APIs answer {"error":{"name":"<string>","message":…}}; quotation APIs
// use the HTTP status as a numeric name. Messages follow Upbit's where they are known.

/** An expected refusal that a handler throws to answer with Upbit's error body. */
export class UpbitError extends Error {
  readonly status: number
  readonly errorName: string | number
  constructor(status: number, errorName: string | number, message: string) {
    super(message)
    this.status = status
    this.errorName = errorName
  }
}

const MESSAGES: Readonly<Record<string, string>> = {
  no_authorization_token: '인증 토큰이 존재하지 않습니다.',
  jwt_verification: 'Jwt 토큰 검증에 실패했습니다.',
  invalid_access_key: '잘못된 엑세스 키입니다.',
  invalid_query_payload: 'Jwt 토큰의 쿼리 정보가 요청 파라미터와 일치하지 않습니다.',
  nonce_used: '이미 요청한 nonce값이 다시 사용되었습니다. jwt 토큰 생성시 매번 새로운 nonce값을 사용해주세요.',
  expired_access_key: '만료된 엑세스 키입니다.',
  invalid_price_bid: '주문가격 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요.',
  invalid_price_ask: '주문가격 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요.',
  // Not in upbit-api.md; name and message as Upbit answered them in public client logs.
  invalid_volume_bid: '주문수량 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요.',
  invalid_volume_ask: '주문수량 단위를 잘못 입력하셨습니다. 확인 후 시도해주세요.',
  under_min_total_bid: '최소주문금액 이상으로 주문해주세요',
  under_min_total_ask: '최소주문금액 이상으로 주문해주세요',
  insufficient_funds_bid: '주문가능한 금액(KRW)이 부족합니다.',
  insufficient_funds_ask: '주문가능한 금액이 부족합니다.',
  over_krw_funds_bid: '최대 주문 금액을 초과했습니다.',
  over_krw_funds_ask: '최대 주문 금액을 초과했습니다.',
  order_not_found: '주문을 찾지 못했습니다.',
  duplicated_identifier: '이미 사용된 identifier입니다.',
  invalid_parameter: '잘못된 파라미터',
  validation_error: '잘못된 파라미터',
  create_bid_error: '주문 요청 정보가 올바르지 않습니다.',
  create_ask_error: '주문 요청 정보가 올바르지 않습니다.',
  invalid_time_in_force: '주문 유형에 사용할 수 없는 time_in_force입니다.',
  too_many_requests: 'Too many API requests.',
}

export function exchangeError(status: number, name: string, message?: string): UpbitError {
  return new UpbitError(status, name, message ?? MESSAGES[name] ?? name)
}

export function quotationError(status: 400 | 404, message: string): UpbitError {
  return new UpbitError(status, status, message)
}

export const CODE_NOT_FOUND = 'Code not found'
export const INVALID_PARAM = 'Invalid parameter. Check the given value!'
export const MISSING_PARAM = 'Missing request parameter error. Check the required parameters!'

export function errorBody(e: UpbitError): string {
  return JSON.stringify({ error: { name: e.errorName, message: e.message } })
}
