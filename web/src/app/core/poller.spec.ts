import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { injectPoller } from './poller';

describe('injectPoller', () => {
  let visibility: DocumentVisibilityState;
  const resume = jest.fn();
  const poll = jest.fn();

  @Component({ selector: 'app-host', template: '' })
  class Host {
    readonly poller = injectPoller({ resume, resumeOnFocus: true });
  }

  function setVisibility(state: DocumentVisibilityState): void {
    visibility = state;
    document.dispatchEvent(new Event('visibilitychange'));
  }

  beforeEach(() => {
    jest.useFakeTimers();
    visibility = 'visible';
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    resume.mockReset();
    poll.mockReset();
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  function started() {
    const fixture = TestBed.createComponent(Host);
    const { poller } = fixture.componentInstance;
    poller.start();
    return { poller, destroy: () => fixture.destroy() };
  }

  it('runs the next poll when it is due, one pending at a time', () => {
    const { poller } = started();
    poller.after(1_000, poll);
    poller.after(2_000, poll);
    jest.advanceTimersByTime(1_999);
    expect(poll).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(poll).toHaveBeenCalledTimes(1);
  });

  it('schedules nothing before start or after stop', () => {
    const fixture = TestBed.createComponent(Host);
    const { poller } = fixture.componentInstance;
    poller.after(1_000, poll);
    poller.start();
    poller.after(1_000, poll);
    poller.stop();
    jest.advanceTimersByTime(10_000);
    expect(poll).not.toHaveBeenCalled();
    expect(poller.started()).toBe(false);
  });

  it('drops the pending poll while hidden and resumes when visible or focused again', () => {
    const { poller } = started();
    poller.after(1_000, poll);
    setVisibility('hidden');
    expect(poller.active()).toBe(false);
    poller.after(1_000, poll);
    window.dispatchEvent(new Event('focus'));
    jest.advanceTimersByTime(10_000);
    expect(poll).not.toHaveBeenCalled();
    expect(resume).not.toHaveBeenCalled();

    setVisibility('visible');
    expect(resume).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new Event('focus'));
    expect(resume).toHaveBeenCalledTimes(2);
  });

  it('stops for good when its owner goes away', () => {
    const { poller, destroy } = started();
    poller.after(1_000, poll);
    destroy();
    setVisibility('hidden');
    setVisibility('visible');
    jest.advanceTimersByTime(10_000);
    expect(poll).not.toHaveBeenCalled();
    expect(resume).not.toHaveBeenCalled();
    expect(poller.started()).toBe(false);
  });
});
