"""xuncha.demo"""
