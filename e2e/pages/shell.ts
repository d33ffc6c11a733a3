// Shell page object: the header's lakehouse switcher and its dialog, the theme toggle and the command palette.
import { type Locator, type Page, expect } from '@playwright/test'

export class Shell {
  readonly switcher: Locator
  readonly menu: Locator
  readonly palette: Locator
  readonly lakehouseDialog: Locator

  constructor(readonly page: Page) {
    this.switcher = page.getByRole('banner').getByRole('heading', { level: 1 }).getByRole('button')
    this.menu = page.getByRole('menu', { name: 'Lakehouses' })
    this.palette = page.getByRole('dialog', { name: 'Command palette' })
    this.lakehouseDialog = page.getByRole('dialog', { name: /lakehouse/i })
  }

  themeToggle(to: 'dark' | 'light'): Locator {
    return this.page.getByRole('button', { name: `Switch to ${to} theme` })
  }

  async theme(): Promise<string | undefined> {
    return (await this.page.locator('html').getAttribute('data-theme')) ?? undefined
  }

  /** Opens the switcher's menu and picks an item ("Open lakehouse…", "New lakehouse…", or a recent one by name). */
  async chooseFromMenu(item: string | RegExp): Promise<void> {
    await this.switcher.click()
    await expect(this.menu).toBeVisible()
    await this.menu.getByRole('menuitem', { name: item }).click()
  }

  /** Runs a command from the palette by typing part of its title and pressing Enter. */
  async runCommand(query: string): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+Shift+P')
    await expect(this.palette).toBeVisible()
    await this.palette.getByRole('combobox', { name: 'Type a command' }).fill(query)
    await this.page.keyboard.press('Enter')
    await expect(this.palette).toBeHidden()
  }
}
