import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, useLocation } from '../routing/navigation';
import { myPagePath, type MyPageTab } from '../routing/routes';

export const TABS: readonly MyPageTab[] = ['selling', 'sold', 'purchases'];

export function useCurrentTab(): MyPageTab {
  const tab = new URLSearchParams(useLocation().search).get('tab');
  return TABS.find((candidate) => candidate === tab) ?? 'selling';
}

/**
 * 판매중 / 거래완료 / 구매내역 as ARIA tabs (arrow keys, Home, End move between them). The tab is
 * kept in the address (`?tab=`), so Back returns to it and a link can open it.
 */
export function MyPageTabs({
  counts,
  panels,
}: {
  /** Each tab's count as shown ("20+" while its list has more pages). */
  counts: Record<MyPageTab, string>;
  /** Every panel stays rendered (the others hidden), so a live change lands in each. */
  panels: Record<MyPageTab, ReactNode>;
}) {
  const { t } = useTranslation();
  const current = useCurrentTab();
  const buttons = useRef<Partial<Record<MyPageTab, HTMLButtonElement | null>>>({});
  const select = (tab: MyPageTab, focus = false) => {
    navigate(myPagePath(tab), { replace: true, keepScroll: true });
    if (focus) buttons.current[tab]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.indexOf(current);
    const next =
      event.key === 'ArrowRight'
        ? TABS[(index + 1) % TABS.length]
        : event.key === 'ArrowLeft'
          ? TABS[(index + TABS.length - 1) % TABS.length]
          : event.key === 'Home'
            ? TABS[0]
            : event.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    select(next, true);
  };
  return (
    <div className="tabs">
      <div className="tabs__list" role="tablist" aria-label={t('myPage.tabsLabel')} onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab}
            ref={(button) => {
              buttons.current[tab] = button;
            }}
            id={`tab-${tab}`}
            type="button"
            role="tab"
            className="tabs__tab"
            aria-selected={tab === current}
            aria-controls={`panel-${tab}`}
            tabIndex={tab === current ? 0 : -1}
            onClick={() => select(tab)}
          >
            {t(`myPage.tabs.${tab}`)} <span className="tabs__count">{counts[tab]}</span>
          </button>
        ))}
      </div>
      {TABS.map((tab) => (
        <div
          key={tab}
          id={`panel-${tab}`}
          role="tabpanel"
          aria-labelledby={`tab-${tab}`}
          tabIndex={0}
          hidden={tab !== current}
          className="tabs__panel"
        >
          {panels[tab]}
        </div>
      ))}
    </div>
  );
}
