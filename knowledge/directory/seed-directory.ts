// Facts from Microsoft's "Get support" article for business admins (worldwide, 21Vianet and
// Office 365 Germany variants), written in our own words. The per-country pages are imported
// separately into data/countries.json.
import type { ContactPoint, DirectoryData, Hours, LocalizedText, ServiceLine } from './types';

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const always: Hours = { kind: 'always' };
const weekdays = (timeZone: string, open: string, close: string, callerLocal = false): Hours => ({
  kind: 'weekly',
  timeZone,
  windows: [{ days: WEEKDAYS, open, close }],
  ...(callerLocal ? { callerLocal } : {}),
});
const lt = (en: string, ko: string): LocalizedText => ({ en, ko });

const worldwideLines = (billing: Hours): ServiceLine[] => [
  { supportType: 'billing', languages: ['en'], hours: billing },
  { supportType: 'technical', languages: ['en'], hours: always },
];

const WORLDWIDE_APPLIES = lt(
  'Microsoft 365 and Office 365 worldwide (the usual commercial cloud).',
  'Microsoft 365 및 Office 365 전 세계 서비스(일반 상용 클라우드)',
);

/** Countries of the European Economic Area other than Germany. */
export const EEA_OUTSIDE_GERMANY = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'GR', 'HU', 'IE', 'IT', 'LV',
  'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
];

const germanyCloudLines: ServiceLine[] = [
  { supportType: 'billing', languages: ['de', 'en'], hours: weekdays('Europe/Berlin', '09:00', '17:00') },
  { supportType: 'technical', languages: ['de', 'en'], hours: always },
];

const GERMANY_CLOUD_APPLIES = lt(
  'Office 365 Germany (Microsoft Cloud Deutschland): tenants whose domain ends in onmicrosoft.de.',
  'Office 365 Germany(Microsoft 클라우드 독일): 도메인이 onmicrosoft.de로 끝나는 테넌트',
);

/** A worldwide entry as the seed lists it: one number, English billing on weekdays, technical 24/7. */
function worldwide(iso: string, market: LocalizedText, display: string, e164: string, billing: Hours): ContactPoint {
  return {
    id: `seed-worldwide-${iso.toLowerCase()}`,
    cloud: 'worldwide',
    countries: [iso],
    market,
    numbers: [{ display, e164, dial: e164, kind: 'main' }],
    lines: worldwideLines(billing),
    notes: [],
    appliesTo: WORLDWIDE_APPLIES,
    source: 'seed',
  };
}

export const SEED_CONTACTS: ContactPoint[] = [
  worldwide('US', lt('United States', '미국'), '1 800 865 9408', '+18008659408', weekdays('America/New_York', '09:00', '17:00', true)),
  worldwide('CA', lt('Canada', '캐나다'), '1 800 865 9408', '+18008659408', weekdays('America/Toronto', '09:00', '17:00', true)),
  worldwide('AU', lt('Australia', '오스트레일리아'), '1 800 197 503', '+611800197503', weekdays('Australia/Sydney', '09:00', '18:00', true)),
  worldwide('GB', lt('United Kingdom', '영국'), '0800 032 6417', '+448000326417', weekdays('Europe/London', '09:00', '17:00')),
  {
    id: 'seed-21vianet-cn',
    cloud: '21vianet',
    countries: ['CN'],
    market: lt('Office 365 operated by 21Vianet (China)', '21Vianet이 운영하는 Office 365(중국)'),
    numbers: [{ display: '(86) 400-089-0365', e164: '+864000890365', dial: '+864000890365', kind: 'main' }],
    lines: [
      { supportType: 'technical', languages: ['zh'], hours: always, severities: ['A'] },
      {
        supportType: 'technical',
        languages: ['zh'],
        hours: { kind: 'weekly', timeZone: 'Asia/Shanghai', windows: [{ days: EVERY_DAY, open: '09:00', close: '24:00' }] },
        severities: ['B', 'C'],
      },
      { supportType: 'billing', languages: ['zh'], hours: { kind: 'businessHours', timeZone: 'Asia/Shanghai', days: WEEKDAYS } },
      { supportType: 'subscription', languages: ['zh'], hours: { kind: 'businessHours', timeZone: 'Asia/Shanghai', days: WEEKDAYS } },
      { supportType: 'presales', languages: ['zh'], hours: { kind: 'businessHours', timeZone: 'Asia/Shanghai', days: WEEKDAYS } },
    ],
    notes: [
      lt(
        'Use this number if an online request runs into trouble. Pre-sales, billing and subscription questions use the same number as technical support.',
        '온라인 요청에 문제가 있을 때 이 번호로 전화하세요. 사전 판매, 청구 및 구독 문의도 기술 지원과 같은 번호를 사용합니다.',
      ),
      lt(
        'Severity A is staffed around the clock; severity B and C run 9:00 to 24:00 Beijing time every day of the year.',
        '심각도 A는 24시간 연중무휴로 지원하고, 심각도 B와 C는 1년 365일 매일 베이징 시간 9:00부터 24:00까지 지원합니다.',
      ),
    ],
    appliesTo: lt(
      'Office 365 operated by 21Vianet, the separate cloud for customers in China.',
      '중국 고객을 위한 별도 클라우드인 21Vianet이 운영하는 Office 365',
    ),
    source: 'seed',
  },
  {
    id: 'seed-germany-cloud-de',
    cloud: 'germany',
    countries: ['DE'],
    market: lt('Office 365 Germany: calling from Germany', 'Office 365 Germany: 독일에서 전화'),
    numbers: [
      { display: '0800 589 2330', e164: '+498005892330', dial: '+498005892330', kind: 'main' },
      {
        display: '069 380 789 305',
        e164: '+4969380789305', dial: '+4969380789305',
        kind: 'alternative',
        notes: [lt('Local call charges apply.', '시내 통화 요금이 부과됩니다.')],
      },
    ],
    lines: germanyCloudLines,
    notes: [],
    appliesTo: GERMANY_CLOUD_APPLIES,
    source: 'seed',
  },
  {
    id: 'seed-germany-cloud-eea',
    cloud: 'germany',
    countries: EEA_OUTSIDE_GERMANY,
    market: lt('Office 365 Germany: calling from elsewhere in the EEA', 'Office 365 Germany: 독일 외 유럽 경제 지역에서 전화'),
    numbers: [{ display: '+49 69 380 789 305', e164: '+4969380789305', dial: '+4969380789305', kind: 'main' }],
    lines: germanyCloudLines,
    notes: [
      lt(
        'This is an international call to Germany, so international rates apply. To avoid call charges, submit a request in the admin center instead.',
        '독일로 거는 국제 전화이므로 국제 전화 요금이 부과됩니다. 통화 요금을 피하려면 관리 센터에서 요청을 제출하세요.',
      ),
    ],
    appliesTo: GERMANY_CLOUD_APPLIES,
    source: 'seed',
  },
];

// Severities B and C share their follow-up, the customer's part and their hours.
const BUSINESS_HOURS_SEVERITY = {
  followUp: lt('Follow-up is paced to the severity.', '후속 조치는 심각도에 맞춰 진행됩니다.'),
  customerResponsibilities: lt(
    'Keep accurate contact details and stay reachable until the request closes.',
    '요청이 종료될 때까지 정확한 연락처를 유지하고 연락이 닿을 수 있게 합니다.',
  ),
  workingHours: { kind: 'weekly', timeZone: 'Asia/Shanghai', windows: [{ days: EVERY_DAY, open: '09:00', close: '24:00' }] } as Hours,
};

export const SEED_DIRECTORY: Omit<DirectoryData, 'contacts'> = {
  countryListUrl: 'https://learn.microsoft.com/microsoft-365/admin/support/contact-support-for-business-products',
  clouds: [
    {
      id: 'worldwide',
      name: lt('Microsoft 365 (worldwide)', 'Microsoft 365(전 세계)'),
      domainSuffixes: ['.onmicrosoft.com'],
      adminCenterUrl: 'https://admin.microsoft.com',
      supportTypes: ['billing', 'technical'],
      description: lt('The commercial cloud most organisations use.', '대부분의 조직이 사용하는 상용 클라우드입니다.'),
    },
    {
      id: '21vianet',
      name: lt('Office 365 operated by 21Vianet', '21Vianet이 운영하는 Office 365'),
      domainSuffixes: ['.partner.onmschina.cn', '.onmschina.cn'],
      adminCenterUrl: 'https://portal.partner.microsoftonline.cn',
      supportTypes: ['technical', 'presales', 'billing', 'subscription'],
      description: lt(
        'A separate cloud for China, run by 21Vianet, which offers technical, pre-sales, billing and subscription support online through its portal and by phone for paid and trial subscriptions.',
        '21Vianet이 운영하는 중국용 별도 클라우드입니다. 유료 및 평가판 구독에 대해 포털을 통한 온라인 지원과 전화 지원으로 기술, 사전 판매, 청구 및 구독 지원을 제공합니다.',
      ),
    },
    {
      id: 'germany',
      name: lt('Office 365 Germany', 'Office 365 Germany'),
      domainSuffixes: ['.onmicrosoft.de'],
      adminCenterUrl: 'https://portal.office.de',
      supportTypes: ['presales', 'billing', 'technical'],
      description: lt(
        'Microsoft Cloud Deutschland. Its admins get pre-sales, account, billing and technical help from Microsoft support agents at no charge, and may call on behalf of their users.',
        'Microsoft 클라우드 독일입니다. 관리자는 Microsoft 지원 담당자로부터 판매 전 문의, 계정, 청구, 기술 문제 해결 지원을 무료로 받을 수 있으며, 사용자를 대신해 지원에 문의할 수 있습니다.',
      ),
    },
  ],
  severityPolicy: {
    cloud: '21vianet',
    eligibility: lt(
      'Severity A is only for customers who have signed an advanced online service agreement with 21Vianet through their sales account manager, and only for technical support.',
      '심각도 A는 영업 계정 관리자를 통해 21Vianet과 고급 온라인 서비스 계약을 맺은 고객만 사용할 수 있으며, 기술 지원에만 적용됩니다.',
    ),
    severityASupportTypes: ['technical'],
    billingMaxSeverity: 'B',
    downgrade: lt(
      'If the customer cannot provide the resources or responses the investigation needs in reasonable time, 21Vianet support may lower the severity of the request.',
      '고객이 조사에 필요한 자원이나 응답을 적절한 시간 안에 제공하지 못하면 21Vianet 지원팀이 요청의 심각도를 낮출 수 있습니다.',
    ),
    severities: [
      {
        id: 'A',
        name: lt('Severity A (critical)', '심각도 A(긴급)'),
        definition: lt(
          'One or more services cannot be reached or used. Production, operations or a deployment deadline is badly hit, or productivity and profit are at serious risk. Many users or services are affected.',
          '하나 이상의 서비스에 접근하거나 사용할 수 없습니다. 생산, 운영 또는 배포 일정에 큰 타격이 있거나 생산성과 수익에 심각한 위험이 있습니다. 여러 사용자나 서비스가 영향을 받습니다.',
        ),
        examples: [
          lt('Mail cannot be sent or received across the organisation.', '조직 전체에서 메일을 보내거나 받을 수 없습니다.'),
          lt('A SharePoint site is down.', 'SharePoint 사이트가 중단되었습니다.'),
          lt('Users cannot send instant messages, join or schedule Skype for Business meetings, or make calls.', '사용자가 인스턴트 메시지를 보내거나 비즈니스용 Skype 회의에 참가하거나 예약하거나 통화할 수 없습니다.'),
        ],
        initialResponse: { amount: 1, unit: 'hour' },
        followUp: lt('Work continues without a break until the problem is resolved.', '문제가 해결될 때까지 쉬지 않고 계속 작업합니다.'),
        customerResponsibilities: lt(
          'Give a reasonable statement of the business impact, assign people who stay engaged with the 21Vianet agent for joint investigation, and keep accurate contact details reachable until the request closes.',
          '비즈니스 영향을 합리적으로 설명하고, 21Vianet 담당자와 함께 조사하며 계속 협력할 인력을 배정하고, 요청이 종료될 때까지 연락 가능한 정확한 연락처를 유지합니다.',
        ),
        workingHours: always,
      },
      {
        id: 'B',
        name: lt('Severity B (high)', '심각도 B(높음)'),
        definition: lt(
          'The service works but with limited function. The business impact is moderate and can be handled during business hours. One user, customer or service is partly affected.',
          '서비스는 사용할 수 있지만 기능이 제한됩니다. 비즈니스 영향은 중간 정도이며 업무 시간 중에 처리할 수 있습니다. 한 명의 사용자, 고객 또는 서비스가 부분적으로 영향을 받습니다.',
        ),
        examples: [
          lt('The Send button in Outlook is displayed incorrectly.', 'Outlook의 보내기 단추가 잘못 표시됩니다.'),
          lt('A setting cannot be changed in the Exchange admin center but works in Windows PowerShell.', 'Exchange 관리 센터에서는 설정을 바꿀 수 없지만 Windows PowerShell에서는 바꿀 수 있습니다.'),
        ],
        initialResponse: { amount: 1, unit: 'businessDay' },
        ...BUSINESS_HOURS_SEVERITY,
      },
      {
        id: 'C',
        name: lt('Severity C (non-critical)', '심각도 C(중요하지 않음)'),
        definition: lt(
          'Little impact on the business. The issue matters but does not noticeably affect service or productivity; one user has a partial disruption with a reasonable workaround.',
          '비즈니스에 미치는 영향이 적습니다. 중요한 문제이지만 서비스나 생산성에 큰 영향을 주지 않으며, 한 사용자에게 부분적인 중단이 있지만 적절한 해결 방법이 있습니다.',
        ),
        examples: [
          lt("How to set a user's password so it never expires.", '사용자 암호가 만료되지 않도록 설정하는 방법'),
          lt('Contact information cannot be deleted in Exchange Online.', 'Exchange Online에서 연락처 정보를 삭제할 수 없습니다.'),
        ],
        initialResponse: { amount: 3, unit: 'businessDay' },
        ...BUSINESS_HOURS_SEVERITY,
      },
    ],
  },
  policies: {
    serviceHealthFirst: {
      title: lt('Check service health first', '먼저 서비스 상태를 확인하세요'),
      paragraphs: [
        lt(
          'Before contacting support, look at the service health page in the admin center. It lists current and past incidents and advisories; if your problem is already there, you can follow its progress without opening a request.',
          '지원에 문의하기 전에 관리 센터의 서비스 상태 페이지를 확인하세요. 현재와 과거의 인시던트 및 권고 사항이 나와 있으며, 겪고 있는 문제가 이미 있다면 요청을 열지 않고도 진행 상황을 확인할 수 있습니다.',
        ),
        lt('If your issue is not listed, open an online request or call support.', '문제가 목록에 없으면 온라인 요청을 열거나 지원팀에 전화하세요.'),
      ],
      links: [{ title: lt('Service health', '서비스 상태'), url: 'https://admin.microsoft.com/Adminportal/Home#/servicehealth' }],
    },
    onlineRequest: {
      title: lt('Open a service request online', '온라인으로 서비스 요청 열기'),
      paragraphs: [
        lt(
          'An online request is often the quickest way: describe the problem and support calls or emails you back. After you submit it, the support pane shows the expected wait time.',
          '온라인 요청이 가장 빠른 경우가 많습니다. 문제를 설명하면 지원팀이 전화나 메일로 연락합니다. 요청을 제출하면 지원 창에 예상 대기 시간이 표시됩니다.',
        ),
      ],
      steps: [
        lt('Sign in to the Microsoft 365 admin center (admin.microsoft.com).', 'Microsoft 365 관리 센터(admin.microsoft.com)에 로그인합니다.'),
        lt('Select Help & support at the bottom right of the page.', '페이지 오른쪽 아래의 도움말 및 지원을 선택합니다.'),
        lt('Type your question or a few keywords and pick the closest suggestion, or press Enter.', '질문이나 키워드를 입력하고 가장 가까운 제안을 고르거나 Enter 키를 누릅니다.'),
        lt("If the results don't solve it, select Contact support.", '결과로 해결되지 않으면 고객 지원을 선택합니다.'),
        lt('Describe the problem, confirm your phone number and email, choose how you want to be contacted, and select Contact me. The pane then shows the expected wait time.', '문제를 설명하고 전화번호와 메일 주소를 확인한 뒤 연락 방법을 고르고 연락 받기를 선택합니다. 그러면 창에 예상 대기 시간이 표시됩니다.'),
      ],
      links: [{ title: lt('Microsoft 365 admin center', 'Microsoft 365 관리 센터'), url: 'https://admin.microsoft.com/Adminportal/Home#/support' }],
    },
    partner: {
      title: lt('Bought through a partner?', '파트너를 통해 구입하셨나요?'),
      paragraphs: [
        lt(
          "If your subscription came through a Microsoft partner or reseller, contact that partner first: they usually provide the first line of support. The admin center's support pane shows your partner's contact details.",
          'Microsoft 파트너나 리셀러를 통해 구독을 구입했다면 먼저 그 파트너에게 연락하세요. 대개 파트너가 1차 지원을 제공합니다. 관리 센터의 지원 창에 파트너의 연락처가 표시됩니다.',
        ),
        lt(
          'You can still open a request with Microsoft: at the bottom of the support pane, select New Microsoft service request.',
          'Microsoft에 직접 요청할 수도 있습니다. 지원 창 아래쪽에서 새 Microsoft 서비스 요청을 선택하세요.',
        ),
      ],
      links: [{ title: lt('Microsoft 365 admin center', 'Microsoft 365 관리 센터'), url: 'https://admin.microsoft.com/Adminportal/Home#/support' }],
    },
    nonAdmin: {
      title: lt('Not an admin?', '관리자가 아니신가요?'),
      paragraphs: [
        lt(
          "Business support by phone and online requests are only for admins of the organisation's subscription. If you aren't an admin, ask your organisation's admin or IT department, use Microsoft's general support page, or ask in the community forum.",
          '전화 지원과 온라인 요청은 조직 구독의 관리자만 사용할 수 있습니다. 관리자가 아니라면 조직의 관리자나 IT 부서에 문의하시거나, Microsoft 일반 지원 페이지를 이용하시거나, 커뮤니티 포럼에 질문하세요.',
        ),
        lt(
          "Not sure who your admin is? In most Microsoft 365 apps, your organisation's admins are listed under your account or in the contact details your IT team shared.",
          '관리자가 누구인지 모르시면 조직의 IT 팀이 안내한 연락처를 확인하거나 동료에게 물어보세요.',
        ),
      ],
      links: [
        { title: lt('General support page', '일반 지원 페이지'), url: 'https://support.microsoft.com/contactus' },
        { title: lt('Community forum', '커뮤니티 포럼'), url: 'https://go.microsoft.com/fwlink/p/?linkid=842838' },
      ],
    },
    pinVerification: {
      title: lt('Why support asks for a PIN', '지원팀이 PIN을 요구하는 이유'),
      paragraphs: [
        lt(
          "To protect your organisation, phone support adds a PIN check to its usual verification. If you call from a number that isn't registered in your organisation's profile, the support agent sends a one-time verification code to the email address or phone number registered in your Microsoft 365 admin center profile.",
          '조직을 보호하기 위해 전화 지원은 기존 확인 절차에 PIN 확인을 더했습니다. 조직 프로필에 등록되지 않은 번호로 전화하면, 지원 담당자가 Microsoft 365 관리 센터 프로필에 등록된 메일 주소나 전화번호로 일회용 확인 코드를 보냅니다.',
        ),
        lt(
          "Read that code back to the agent. Only then can the agent access your organisation's account. Keep your profile's contact details up to date so the code reaches you.",
          '받은 코드를 지원 담당자에게 알려 주세요. 그래야 담당자가 조직의 계정에 접근할 수 있습니다. 코드를 받을 수 있도록 프로필의 연락처를 최신으로 유지하세요.',
        ),
      ],
      links: [],
    },
    community: {
      title: lt('Ask the community', '커뮤니티에 질문하기'),
      paragraphs: [
        lt(
          'The Microsoft 365 community forum is a good place to search known issues and popular topics or to post your own question to other admins. Microsoft support agents trained on these problems watch the forum too.',
          'Microsoft 365 커뮤니티 포럼에서 알려진 문제와 인기 주제를 검색하거나 다른 관리자에게 직접 질문할 수 있습니다. 이런 문제에 대해 교육받은 Microsoft 지원 담당자도 포럼을 살펴봅니다.',
        ),
        lt(
          'Office 365 operated by 21Vianet also offers self-service help: troubleshooting tools, help articles and videos, and the community forums and wiki.',
          '21Vianet이 운영하는 Office 365도 문제 해결 도구, 도움말 문서와 동영상, 커뮤니티 포럼과 위키 같은 셀프 서비스 지원을 제공합니다.',
        ),
      ],
      links: [{ title: lt('Community forum', '커뮤니티 포럼'), url: 'https://go.microsoft.com/fwlink/p/?linkid=842838' }],
    },
    prepareForCall: {
      title: lt('Before you call', '전화하기 전에'),
      paragraphs: [lt('Have your account details ready when you call support.', '지원팀에 전화할 때 계정 정보를 준비해 두세요.')],
      links: [],
    },
    supportScope21Vianet: {
      title: lt('What 21Vianet support covers', '21Vianet 지원 범위'),
      paragraphs: [
        lt(
          'Technical support for Office 365 operated by 21Vianet helps with basic installation, setup and general use: for example mailbox migration, recipients, mail forwarding and shared mailboxes, Autodiscover, SharePoint permissions and external users, Skype for Business setup, Microsoft 365 Apps installation, single sign-on and Active Directory synchronization.',
          '21Vianet이 운영하는 Office 365의 기술 지원은 기본 설치, 설정, 일반적인 사용을 돕습니다. 예를 들어 사서함 마이그레이션, 받는 사람 구성(메일 전달, 공유 사서함), 자동 검색, SharePoint 권한과 외부 사용자, 비즈니스용 Skype 설정, Microsoft 365 앱 설치, SSO(Single Sign-On), Active Directory 동기화 등입니다.',
        ),
        lt(
          'It only resolves problems with Office 365 operated by 21Vianet itself. Problems in your own network are not covered: ask your networking team. Third-party services and add-ins are not covered either.',
          '21Vianet이 운영하는 Office 365 자체의 문제만 해결합니다. 고객 네트워크에서 생기는 문제는 지원 범위에 포함되지 않으므로 사내 네트워크 팀에 문의하세요. 타사 서비스와 추가 기능도 지원하지 않습니다.',
        ),
      ],
      bullets: [
        lt('Not covered: problems in your own network (ask your networking team).', '지원 범위 밖: 고객 네트워크의 문제(사내 네트워크 팀에 문의)'),
        lt('Not covered: third-party services and add-ins.', '지원 범위 밖: 타사 서비스와 추가 기능'),
      ],
      links: [{ title: lt('Community forum', '커뮤니티 포럼'), url: 'https://go.microsoft.com/fwlink/p/?linkid=842838' }],
    },
    adminResponsibilities: {
      title: lt("Admins' part in support", '지원에서 관리자의 역할'),
      paragraphs: [
        lt(
          "Admins manage the service and its accounts, set up and support their users first, and are the ones allowed to submit service requests. They fix client connection, software and mobile setup problems and availability issues within the organisation's control, using self-service resources, and contact support when those don't solve it.",
          '관리자는 서비스와 계정을 관리하고, 사용자를 먼저 설정하고 지원하며, 서비스 요청을 제출할 권한이 있습니다. 클라이언트 연결, 소프트웨어, 모바일 설정 문제와 조직이 관리할 수 있는 범위의 가용성 문제를 셀프 서비스 자료로 해결하고, 그래도 해결되지 않으면 지원에 문의합니다.',
        ),
        lt(
          '21Vianet support resolves issues and escalations, gathers and checks the details of each request, coordinates the fix, keeps the admin informed, helps with licences, invoices, subscriptions, purchases and trials, and asks for feedback through surveys.',
          '21Vianet 지원팀은 문제와 에스컬레이션을 해결하고, 요청 정보를 수집해 확인하며, 해결을 조율하고, 관리자에게 진행 상황을 알리고, 라이선스, 청구서, 구독, 구매와 평가판 문의를 돕고, 설문으로 의견을 받습니다.',
        ),
      ],
      links: [],
    },
    generalHours: {
      title: lt('Phone support hours', '전화 지원 시간'),
      paragraphs: [
        lt(
          'Billing support is in English, Monday to Friday, 9 AM to 5 PM local time (9 AM to 6 PM in Australia). Technical support is in English, 24 hours a day, 7 days a week.',
          '청구 지원은 영어로 월요일부터 금요일까지 현지 시간 오전 9시부터 오후 5시까지(오스트레일리아는 오전 9시부터 오후 6시까지) 제공됩니다. 기술 지원은 영어로 연중무휴 24시간 제공됩니다.',
        ),
      ],
      links: [],
    },
  },
};
