"""xuncha.report"""
