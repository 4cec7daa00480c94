export * from './render';
export * from './contact-card';
export * from './hours-card';
export * from './severity-card';
export * from './info-card';
export * from './clarify-card';
export * from './search-results-card';
export * from './request-form-card';
