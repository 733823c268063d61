"""设岗定责 / 时间银行: volunteer posts per compound or branch, the members and resident volunteers
holding them, service records confirmed by the secretary (the source of the service-hours points),
党员中心户 paired households (包联户) and 楼栋长 / 单元长 of buildings and units."""
