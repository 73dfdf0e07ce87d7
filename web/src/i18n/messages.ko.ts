/**
 * Every word the interface shows, in Korean — the default language. `messages.en.ts` must have
 * exactly the same keys (its type says so). Plural forms use i18next's `_one` / `_other` suffixes;
 * Korean needs only `_other`, but keeps `_one` too so both files share one shape.
 */
export const ko = {
  app: {
    name: '가지마켓',
    tagline: '우리 동네 믿을 수 있는 중고 거래',
    skipToContent: '본문으로 건너뛰기',
    titleSuffix: '가지마켓',
    developer: '개발자라면 <1>Apollo Sandbox</1>에서 API를 살펴보세요.',
  },
  nav: {
    label: '주 메뉴',
    market: '홈',
    sell: '판매하기',
    myPage: '나의 가지',
    logIn: '로그인',
    signUp: '회원가입',
    logOut: '로그아웃',
  },
  language: {
    label: '언어',
    ko: '한국어',
    en: 'English',
  },
  state: {
    loading: '불러오는 중…',
    offline: '가지마켓에 연결할 수 없어요. 인터넷 연결을 확인하고 다시 시도해 주세요.',
    failed: '문제가 생겼어요. 잠시 후 다시 시도해 주세요.',
    tryAgain: '다시 시도',
    retrying: '다시 불러오는 중…',
    // Refusals that say when to try again (RATE_LIMITED; SERVICE_BUSY or any other error with
    // retryAfterSeconds: busy; SERVICE_UNAVAILABLE, SUBGRAPH_UNAVAILABLE — an outage, not load:
    // unavailable): `{{seconds, wait}}` reads "3초", "2분", "약 1시간".
    tooMany: '요청이 너무 많아요. {{seconds, wait}} 후에 다시 시도해 주세요.',
    tooManySoon: '요청이 너무 많아요. 잠시 후 다시 시도해 주세요.',
    busy: '지금은 이용하는 분이 많아요. {{seconds, wait}} 후에 다시 시도해 주세요.',
    busySoon: '지금은 이용하는 분이 많아요. 잠시 후 다시 시도해 주세요.',
    tooManyOver: '요청이 너무 많았어요. 이제 다시 시도할 수 있어요.',
    busyOver: '이용하는 분이 많았어요. 이제 다시 시도할 수 있어요.',
    unavailable: '서비스에 잠시 문제가 있어요. {{seconds, wait}} 후에 다시 시도해 주세요.',
    unavailableSoon: '서비스에 잠시 문제가 있어요. 잠시 후 다시 시도해 주세요.',
    unavailableOver: '서비스에 잠시 문제가 있었어요. 이제 다시 시도할 수 있어요.',
    retryIn: '{{seconds, wait}} 후 다시 시도',
  },
  time: {
    justNow: '방금 전',
  },
  status: {
    ON_SALE: '판매중',
    SOLD: '판매완료',
    DELETED: '삭제됨',
    PAID: '결제완료',
    CANCELLED: '취소됨',
    REFUNDED: '환불완료',
  },
  market: {
    title: '중고 거래',
    documentTitle: '우리 동네 중고 거래',
    searchLabel: '상품 검색',
    searchPlaceholder: '예: 자전거',
    search: '검색',
    // The product context's search rule (@gaji/contracts/search-words): what the form refuses
    // before sending, and, for any other refusal of the search itself, both limits.
    searchProblem: {
      tooLong: '검색어는 {{searchMax}}자까지 쓸 수 있어요.',
      tooManyWords: '검색어는 단어 {{searchWordsMax}}개까지 쓸 수 있어요.',
      refused: '검색어는 {{searchMax}}자, 단어 {{searchWordsMax}}개까지 쓸 수 있어요.',
    },
    resultsFor: '“{{text}}” 검색 결과',
    noMatch: '“{{text}}”에 맞는 판매중인 상품이 없어요.',
    empty: '아직 판매중인 상품이 없어요. 첫 상품을 올려 보세요!',
    listLabel: '판매중인 상품',
    loadMore: '더 보기',
    loadingMore: '더 불러오는 중…',
    loadMoreFailed: '상품을 더 불러오지 못했어요. 다시 시도해 주세요.',
    loadedMore_one: '상품 {{count}}개를 더 불러왔어요.',
    loadedMore_other: '상품 {{count}}개를 더 불러왔어요.',
    listed: '{{time}} 등록',
  },
  image: {
    photoOf: '{{title}} 사진',
    none: '사진 없음',
  },
  product: {
    back: '홈으로',
    soldBy: '판매자 {{nickname}}',
    you: '(나)',
    listed: '{{time}} 등록',
    noDescription: '상품 설명이 없어요.',
    buy: '구매하기',
    paying: '결제하는 중…',
    retryIn: '{{seconds, wait}} 후 다시 구매',
    bought: '구매 완료! 결제가 끝났어요.',
    seeOnMyPage: '구매내역 보기',
    // The page reloaded (or opened again) on an item this member bought and has not cancelled.
    yours: '내가 구매한 상품이에요. 구매내역에서 거래를 확인하거나 취소할 수 있어요.',
    withdrawn: '판매자가 상품을 내려 결제가 취소되고 환불되었어요.',
    // PRODUCT_NOT_AVAILABLE: someone else's purchase holds the item (nothing charged), or the
    // product refused the sale while this one was pending — after the charge, which is refunded.
    alreadySold:
      '아쉽게도 이 상품은 이제 구매할 수 없어요. 다른 분이 먼저 구매했거나 판매자가 상품을 내렸어요. 결제되지 않았거나, 결제됐다면 자동으로 취소돼요.',
    backToMarket: '다른 상품 보러 가기',
    sold: '판매가 완료된 상품이에요.',
    soldLive: '방금 판매가 완료되었어요.',
    backOnSaleLive: '다시 판매중이에요.',
    deletedLive: '판매자가 이 상품을 삭제했어요.',
    logInToBuy: '로그인하고 구매하기',
    // PAYMENT_UNAVAILABLE: payment refused or was not asked (nothing charged), or the call timed out
    // while payment charged — which PurchaseFailed then has refunded.
    paymentUnavailable:
      '지금은 결제를 처리할 수 없어요. 결제되지 않았거나, 결제됐다면 자동으로 취소돼요. {{seconds, wait}} 후에 다시 시도해 주세요.',
    // The same, once its wait is over: the button is enabled again, and the notice says so.
    paymentUnavailableOver:
      '결제를 처리하지 못해 구매하지 못했어요. 결제되지 않았거나, 결제됐다면 자동으로 취소돼요. 이제 다시 시도할 수 있어요.',
    notYetBuyable:
      '방금 올라왔거나 방금 삭제된 상품이라 지금은 구매할 수 없어요. 잠시 후 다시 시도해 주세요.',
    ownProduct: '내 상품은 구매할 수 없어요.',
    declined: '결제가 거절되었어요. 청구된 금액은 없어요.',
    notFoundTitle: '상품을 찾을 수 없어요',
    notFoundBody: '삭제되었거나 주소가 잘못되었어요.',
    priceLabel: '가격',
  },
  deleteProduct: {
    trigger: '삭제',
    triggerFor: '{{title}} 삭제',
    question: '“{{title}}” 상품을 삭제할까요?',
    confirm: '네, 삭제할게요',
    busy: '삭제하는 중…',
    keep: '아니요',
    failed: '상품을 삭제하지 못했어요. 다시 시도해 주세요.',
    PRODUCT_SOLD: '판매완료된 상품은 거래 기록으로 남아서 삭제할 수 없어요.',
    NOT_PRODUCT_OWNER: '판매자만 상품을 삭제할 수 있어요.',
    PRODUCT_NOT_FOUND: '이미 삭제된 상품이에요.',
  },
  sell: {
    title: '내 물건 팔기',
    titleLabel: '제목',
    titleHint: '1~{{titleMax, number}}자',
    descriptionLabel: '자세한 설명',
    descriptionHint: '선택 · {{descriptionMax, number}}자까지',
    priceLabel: '가격(원)',
    priceHint: '숫자만 · 1원부터 {{priceMax, number(notation: compact)}} 원까지',
    imageUrlLabel: '사진 주소',
    imageUrlHint: '선택 · https로 시작하는 사진 링크',
    submit: '판매 시작하기',
    busy: '올리는 중…',
    signInFor: '로그인하고 내 물건을 팔아 보세요.',
  },
  auth: {
    signUpTitle: '회원가입',
    logInTitle: '로그인',
    email: '이메일',
    password: '비밀번호',
    passwordHint: '{{passwordMin}}~{{passwordMax}}자, 글자와 숫자 또는 기호를 섞어 주세요.',
    nickname: '닉네임',
    nicknameHint: '{{nicknameMin}}~{{nicknameMax}}자 · 내 상품 옆에 보여요.',
    signUp: '가입하기',
    signingUp: '가입하는 중…',
    logIn: '로그인',
    loggingIn: '로그인하는 중…',
    haveAccount: '이미 회원이신가요?',
    newHere: '가지마켓이 처음이신가요?',
    invalidCredentials: '이메일 또는 비밀번호가 맞지 않아요.',
    membersOnly: '로그인이 필요해요',
    // Expired, logged out elsewhere or refused: "만료" would be untrue of all but the first.
    sessionEnded: '세션이 끝났어요. 다시 로그인해 주세요.',
    // The member withdrew from another device: logging in again would only fail.
    accountClosed: '탈퇴한 계정이라 로그아웃되었어요. 이 계정으로는 더 이상 로그인할 수 없어요.',
    // A log-out the gateway could not yet confirm: the session still lives on the server.
    logOutPending:
      '로그아웃을 아직 마치지 못했어요. 지금 서버가 처리하지 못해 자동으로 다시 시도하고 있어요.',
    logOutPendingIn: '{{seconds, wait}} 후 다시 시도해요.',
    logOutPendingNow: '다시 시도하는 중…',
    logOutRetryNow: '지금 다시 시도',
  },
  form: {
    summary_one: '입력 내용을 확인해 주세요. 고칠 곳이 {{count}}군데 있어요.',
    summary_other: '입력 내용을 확인해 주세요. 고칠 곳이 {{count}}군데 있어요.',
    field: {
      email: '올바른 이메일 주소를 입력해 주세요.',
      emailTaken: '이미 가입된 이메일이에요.',
      password: '비밀번호는 {{passwordMin}}~{{passwordMax}}자로, 글자와 숫자 또는 기호를 섞어야 해요.',
      nickname: '닉네임은 보이는 글자 {{nicknameMin}}~{{nicknameMax}}자로 입력해 주세요.',
      title: '제목은 보이는 글자 1~{{titleMax, number}}자로 입력해 주세요.',
      description: '설명은 {{descriptionMax, number}}자까지, 제어 문자나 글자 방향 바꿈 문자 없이 써 주세요.',
      priceKrw: '가격을 1부터 {{priceMax, number}} 사이의 숫자로 입력해 주세요.',
      imageUrl:
        '사진 주소는 https://로 시작하는 {{imageUrlMax, number}}자 이하의 공개된 링크여야 해요. 공백·제어 문자나 아이디·비밀번호가 든 주소, 내부 주소(localhost, 사설 IP, 내부 호스트 이름)는 쓸 수 없어요.',
    },
  },
  myPage: {
    title: '나의 가지',
    greeting: '{{nickname}}님',
    tabsLabel: '나의 거래',
    tabs: {
      selling: '판매중',
      sold: '거래완료',
      purchases: '구매내역',
    },
    live: {
      connected: '실시간',
      connecting: '연결 중…',
      closed: '다시 연결 중…',
    },
    events: {
      PRODUCT_REGISTERED: '상품을 올렸어요',
      PRODUCT_SOLD: '상품이 팔렸어요',
      PRODUCT_BACK_ON_SALE: '상품이 다시 판매중이에요',
      PRODUCT_DELETED: '상품을 삭제했어요',
      PURCHASE_PLACED: '거래가 결제되었어요',
      PURCHASE_CANCELLED: '거래가 취소되었어요',
      PAYMENT_REFUNDED: '환불이 끝났어요',
    },
    emptySelling: '판매중인 상품이 없어요.',
    sellSomething: '물건 팔기',
    emptySold: '아직 판매한 상품이 없어요.',
    emptyPurchases: '아직 구매한 상품이 없어요.',
    deleted_one: '삭제한 상품 {{count}}개',
    deleted_other: '삭제한 상품 {{count}}개',
    buyer: '구매자 {{nickname}}',
    seller: '판매자 {{nickname}}',
    history: '거래 기록',
    partiesUnavailable: '일부 정보(닉네임, 사진)를 지금은 불러올 수 없어요.',
    loadMore: '더 보기',
    loadingMore: '더 불러오는 중…',
    loadedMore_one: '{{count}}개를 더 불러왔어요.',
    loadedMore_other: '{{count}}개를 더 불러왔어요.',
    loadMoreFailed: '더 불러오지 못했어요. 다시 시도해 주세요.',
  },
  cancelPurchase: {
    trigger: '구매 취소',
    triggerFor: '{{title}} 구매 취소',
    question: '구매를 취소하고 환불받을까요?',
    confirm: '네, 취소할게요',
    busy: '취소하는 중…',
    keep: '아니요',
    failed: '구매를 취소하지 못했어요. 다시 시도해 주세요.',
    PURCHASE_ALREADY_CANCELLED: '이미 취소된 구매예요.',
    NOT_PURCHASE_BUYER: '구매자만 구매를 취소할 수 있어요.',
    PURCHASE_NOT_FOUND: '이 구매 기록을 찾을 수 없어요.',
  },
  settings: {
    title: '설정',
    withdrawTitle: '회원 탈퇴',
    withdrawExplain:
      '탈퇴하면 계정이 영구히 닫히고, 판매중인 상품은 모두 내려가요. 지난 구매와 판매 기록은 남아요.',
    withdraw: '탈퇴하기',
    withdrawQuestion: '정말 탈퇴할까요?',
    withdrawConfirm: '네, 탈퇴할게요',
    withdrawing: '탈퇴하는 중…',
    keepAccount: '계속 이용할게요',
    withdrawFailed: '탈퇴하지 못했어요. 다시 시도해 주세요.',
  },
  notFound: {
    title: '페이지를 찾을 수 없어요',
    body: '이 주소에는 아무것도 없어요.',
    home: '홈으로 가기',
  },
};

/** The shape both languages share: the same keys, any words. */
export type Messages = DeepStrings<typeof ko>;
type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
